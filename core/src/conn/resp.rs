//! Our own reader of server replies (RESP2: we never ask for RESP3): small,
//! bounded and fuzzed. Every length it reads comes from the network, so each one is checked
//! before anything is allocated for it: bulk strings against the caller's limit (the session
//! size limit), arrays against a nesting depth and an element count, lines against a length.
//! Memory is taken with fallible allocation and only for what the reply really holds; nothing
//! stays allocated after the reply is handed over (no parser buffer kept per connection).

use std::io::{self, BufRead, Read};

use redis::{ServerError, Value};

/// Bounds on what one reply may make us allocate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest bulk string; longer is [`ReadError::TooLarge`], refused before reading it.
    pub max_bulk: usize,
    /// Deepest nesting of arrays (our scripts reply at most 3 levels; CLUSTER SLOTS 3).
    pub max_depth: usize,
    /// Most elements in one array (CLUSTER SLOTS of a big cluster has a few thousand).
    pub max_elements: usize,
}

/// Longest status, error or number line (servers send short ones; a redirect is ~40 bytes).
pub const MAX_LINE: usize = 64 * 1024;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bulk: 512 * 1024 * 1024,
            max_depth: 8,
            max_elements: 1 << 20,
        }
    }
}

/// Why a reply could not be read. After any of these the connection's stream is out of step
/// and must not be used again.
#[derive(Debug)]
pub enum ReadError {
    /// The socket failed, timed out, or the peer closed it.
    Io(io::Error),
    /// Bytes that are not a reply we accept.
    Protocol(String),
    /// A bulk string longer than the limit (refused before it was read).
    TooLarge { len: u64, max: usize },
    /// The memory for a value could not be allocated.
    Alloc(u64),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Protocol(what) => write!(f, "unparseable reply ({what})"),
            ReadError::TooLarge { len, max } => write!(
                f,
                "a reply of {len} bytes is over the limit of {max} bytes (redis.session.max_size plus room for headers); it was not read, and the stored session is left untouched"
            ),
            ReadError::Alloc(n) => write!(f, "cannot allocate {n} bytes for a reply"),
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

fn protocol(what: impl Into<String>) -> ReadError {
    ReadError::Protocol(what.into())
}

/// Reads one complete reply from `r`.
pub fn read_value<R: BufRead>(r: &mut R, limits: &Limits) -> Result<Value, ReadError> {
    read_at(r, limits, 0)
}

/// Reads one complete reply and drops it, building nothing: the same checks as
/// [`read_value`] (so the same errors), without allocating for its strings and arrays.
/// Returns the first server error in it (depth first, as `Value::extract_error` finds it)
/// and whether that error is the reply itself rather than inside an array.
pub fn skip_value<R: BufRead>(r: &mut R, limits: &Limits) -> Result<Skipped, ReadError> {
    skip_at(r, limits, 0)
}

/// What [`skip_value`] found. Two plain fields, both always set: an
/// `Option<(ServerError, bool)>` here left the flag's byte uninitialised in `None`, and the
/// optimised caller branched on it (valgrind's "conditional jump depends on uninitialised
/// value", harmless but a report all the same).
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// The first server error in the reply, depth first.
    pub error: Option<ServerError>,
    /// Whether that error is the reply itself (false when none or inside an array).
    pub top: bool,
}

impl Skipped {
    const NOTHING: Skipped = Skipped {
        error: None,
        top: false,
    };

    /// As (error, is the reply itself), the shape `first_error` of a read value has.
    pub fn pair(self) -> Option<(ServerError, bool)> {
        let top = self.top;
        self.error.map(|e| (e, top))
    }
}

fn skip_at<R: BufRead>(r: &mut R, limits: &Limits, depth: usize) -> Result<Skipped, ReadError> {
    match read_head_as(r, false)? {
        Head::Value(Value::ServerError(e)) => Ok(Skipped {
            error: Some(e),
            top: depth == 0,
        }),
        Head::Value(_) => Ok(Skipped::NOTHING),
        Head::Bulk(n) if n < 0 => Ok(Skipped::NOTHING),
        Head::Bulk(n) => skip_bulk(r, n as u64, limits.max_bulk).map(|_| Skipped::NOTHING),
        Head::Array(n) if n < 0 => Ok(Skipped::NOTHING),
        Head::Array(n) => {
            check_array(n as u64, limits, depth)?;
            let mut first = Skipped::NOTHING;
            for _ in 0..n {
                let found = skip_at(r, limits, depth + 1)?;
                if first.error.is_none() {
                    first = found;
                }
            }
            Ok(first)
        }
    }
}

/// Skips a bulk string of `n` bytes and its CRLF, with [`read_bulk`]'s checks.
fn skip_bulk<R: BufRead>(r: &mut R, n: u64, max: usize) -> Result<(), ReadError> {
    if n > max as u64 {
        return Err(ReadError::TooLarge { len: n, max });
    }
    let mut left = n;
    while left > 0 {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Err(eof());
        }
        let take = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        r.consume(take);
        left -= take as u64;
    }
    let mut crlf = [0u8; 2];
    r.read_exact(&mut crlf)?;
    if crlf != *b"\r\n" {
        return Err(protocol("a bulk string not ended by CRLF"));
    }
    Ok(())
}

fn eof() -> ReadError {
    ReadError::Io(io::Error::new(
        io::ErrorKind::UnexpectedEof,
        "unexpected end of file",
    ))
}

fn read_at<R: BufRead>(r: &mut R, limits: &Limits, depth: usize) -> Result<Value, ReadError> {
    match read_head(r)? {
        Head::Value(v) => Ok(v),
        Head::Bulk(n) if n < 0 => Ok(Value::Nil),
        Head::Bulk(n) => Ok(Value::BulkString(read_bulk(r, n as u64, limits.max_bulk)?)),
        Head::Array(n) if n < 0 => Ok(Value::Nil),
        Head::Array(n) => Ok(Value::Array(read_items(r, n as u64, limits, depth)?)),
    }
}

/// A reply's first line: a whole value (status, error, integer), or the length of what follows.
enum Head {
    Value(Value),
    Bulk(i64),
    Array(i64),
}

/// Reads a reply's first line: straight from the read buffer when it holds the whole line
/// (the usual case: nothing allocated), else gathered piece by piece.
fn read_head<R: BufRead>(r: &mut R) -> Result<Head, ReadError> {
    read_head_as(r, true)
}

/// [`read_head`]; without `keep`, a status line is checked but not kept (Value::Nil).
fn read_head_as<R: BufRead>(r: &mut R, keep: bool) -> Result<Head, ReadError> {
    let buf = r.fill_buf()?;
    if let Some(i) = buf.iter().take(MAX_LINE + 2).position(|&b| b == b'\n') {
        let head = parse_head(&buf[..=i], keep);
        r.consume(i + 1);
        return head;
    }
    let line = read_line(r)?;
    parse_head(&line, keep)
}

/// Parses one line, its LF included.
fn parse_head(line: &[u8], keep: bool) -> Result<Head, ReadError> {
    let line = line
        .strip_suffix(b"\r\n")
        .ok_or_else(|| protocol("a line not ended by CRLF"))?;
    let (&kind, rest) = line.split_first().ok_or_else(|| protocol("empty line"))?;
    match kind {
        b'+' => Ok(Head::Value(match rest {
            _ if !keep => Value::Nil,
            b"OK" => Value::Okay,
            _ => Value::SimpleString(String::from_utf8_lossy(rest).into_owned()),
        })),
        b'-' => server_error(rest).map(Head::Value),
        b':' => Ok(Head::Value(Value::Int(parse_int(rest)?))),
        b'$' => Ok(Head::Bulk(parse_int(rest)?)),
        b'*' => Ok(Head::Array(parse_int(rest)?)),
        _ => Err(protocol(format!("type byte 0x{kind:02x}"))),
    }
}

/// An array of `n` elements at `depth` is within the limits.
fn check_array(n: u64, limits: &Limits, depth: usize) -> Result<(), ReadError> {
    if depth >= limits.max_depth {
        return Err(protocol(format!(
            "arrays nested deeper than {}",
            limits.max_depth
        )));
    }
    if n > limits.max_elements as u64 {
        return Err(protocol(format!("an array of {n} elements")));
    }
    Ok(())
}

fn read_items<R: BufRead>(
    r: &mut R,
    n: u64,
    limits: &Limits,
    depth: usize,
) -> Result<Vec<Value>, ReadError> {
    check_array(n, limits, depth)?;
    // Room only for what has arrived: a claimed count costs nothing until its items come.
    let mut items = Vec::new();
    items
        .try_reserve(n.min(64) as usize)
        .map_err(|_| ReadError::Alloc(n))?;
    for _ in 0..n {
        if items.len() == items.capacity() {
            items.try_reserve(1).map_err(|_| ReadError::Alloc(n))?;
        }
        items.push(read_at(r, limits, depth + 1)?);
    }
    Ok(items)
}

/// An error line as redis-rs types it (so MOVED/ASK/NOSCRIPT... keep their kinds).
fn server_error(text: &[u8]) -> Result<Value, ReadError> {
    let mut line = Vec::with_capacity(text.len() + 3);
    line.push(b'-');
    line.extend_from_slice(text);
    line.extend_from_slice(b"\r\n");
    match redis::parse_redis_value(&line) {
        Ok(v @ Value::ServerError(_)) => Ok(v),
        _ => Err(protocol("an unreadable error line")),
    }
}

/// One line with its CRLF, at most [`MAX_LINE`] bytes before it (for a line the read
/// buffer does not hold whole).
fn read_line<R: BufRead>(r: &mut R) -> Result<Vec<u8>, ReadError> {
    let mut line = Vec::new();
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Err(ReadError::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "unexpected end of file",
            )));
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if line.len() + take > MAX_LINE + 2 {
            return Err(protocol(format!("a line longer than {MAX_LINE} bytes")));
        }
        line.extend_from_slice(&buf[..take]);
        r.consume(take);
        if done {
            return Ok(line);
        }
    }
}

/// A decimal integer as servers write it (an optional sign, then digits), without going
/// through `str`: it runs for every reply and every length.
fn parse_int(s: &[u8]) -> Result<i64, ReadError> {
    let bad = || protocol("bad number");
    let (neg, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(bad());
    }
    let mut n: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return Err(bad());
        }
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
            .ok_or_else(bad)?;
    }
    match (neg, i64::try_from(n)) {
        (false, Ok(v)) => Ok(v),
        (true, Ok(v)) => Ok(-v),
        (true, Err(_)) if n == 1 << 63 => Ok(i64::MIN),
        _ => Err(bad()),
    }
}

/// A bulk string of `n` bytes and its CRLF; the limit is checked before anything is read.
fn read_bulk<R: BufRead>(r: &mut R, n: u64, max: usize) -> Result<Vec<u8>, ReadError> {
    if n > max as u64 {
        return Err(ReadError::TooLarge { len: n, max });
    }
    let n = usize::try_from(n).map_err(|_| ReadError::Alloc(n))?;
    super::note_large(n);
    let mut out = Vec::new();
    out.try_reserve_exact(n)
        .map_err(|_| ReadError::Alloc(n as u64))?;
    // Filled as the bytes arrive (no zero-filled buffer of the claimed size first).
    let got = r.take(n as u64).read_to_end(&mut out)?;
    if got < n {
        return Err(ReadError::Io(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "unexpected end of file",
        )));
    }
    let mut crlf = [0u8; 2];
    r.read_exact(&mut crlf)?;
    if crlf != *b"\r\n" {
        return Err(protocol("a bulk string not ended by CRLF"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Value, ReadError> {
        read_value(&mut &bytes[..], &Limits::default())
    }

    fn bulk(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    #[test]
    fn reads_every_shape_we_use() {
        let table: &[(&[u8], Value)] = &[
            (b"+OK\r\n", Value::Okay),
            (b"+QUEUED\r\n", Value::SimpleString("QUEUED".into())),
            (b":42\r\n", Value::Int(42)),
            (b":-1\r\n", Value::Int(-1)),
            (b"$-1\r\n", Value::Nil),
            (b"*-1\r\n", Value::Nil),
            (b"$0\r\n\r\n", bulk("")),
            (b"$5\r\nab\r\nc\r\n", bulk("ab\r\nc")),
            (
                b"*3\r\n:1\r\n$3\r\nabc\r\n*2\r\n:2\r\n$-1\r\n",
                Value::Array(vec![
                    Value::Int(1),
                    bulk("abc"),
                    Value::Array(vec![Value::Int(2), Value::Nil]),
                ]),
            ),
            (b"*0\r\n", Value::Array(vec![])),
        ];
        for (bytes, want) in table {
            assert_eq!(
                &read(bytes).unwrap(),
                want,
                "{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }

    #[test]
    fn server_errors_keep_their_kind_and_redirect() {
        let e = read(b"-MOVED 3999 127.0.0.1:6381\r\n")
            .unwrap()
            .extract_error()
            .unwrap_err();
        assert_eq!(e.redirect_node(), Some(("127.0.0.1:6381", 3999)));
        let e = read(b"-NOSCRIPT No matching script\r\n")
            .unwrap()
            .extract_error()
            .unwrap_err();
        assert_eq!(e.code(), Some("NOSCRIPT"));
        let e = read(b"-WRONGPASS invalid\r\n")
            .unwrap()
            .extract_error()
            .unwrap_err();
        assert_eq!(e.code(), Some("WRONGPASS"));
    }

    #[test]
    fn hostile_replies_are_errors_not_allocations() {
        let limits = Limits {
            max_bulk: 1000,
            ..Limits::default()
        };
        let r = |b: &[u8]| read_value(&mut &b[..], &limits);
        assert!(matches!(
            r(b"$1000000000\r\nshort"),
            Err(ReadError::TooLarge {
                len: 1_000_000_000,
                max: 1000
            })
        ));
        assert!(matches!(
            r(b"$9223372036854775807\r\n"),
            Err(ReadError::TooLarge { .. })
        ));
        // A count announced but not sent: an end of file, after allocating almost nothing.
        assert!(matches!(r(b"*1000000\r\n:1\r\n"), Err(ReadError::Io(_))));
        assert!(matches!(r(b"*100000000\r\n"), Err(ReadError::Protocol(_))));
        let deep = [&b"*1\r\n".repeat(5000)[..], b":1\r\n"].concat();
        assert!(matches!(r(&deep), Err(ReadError::Protocol(_))));
        let long = [&b"+"[..], &vec![b'a'; MAX_LINE + 10]].concat();
        assert!(matches!(r(&long), Err(ReadError::Protocol(_))));
        for bad in [
            &b"%%% not RESP\r\n"[..],
            b"\r\n",
            b":12x\r\n",
            b"$3\r\nabcXY",
            b"+OK\n",
            b"$x\r\n",
            b"%1\r\n+a\r\n:1\r\n",
            b"_\r\n",
            b"#t\r\n",
        ] {
            assert!(r(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        for truncated in [&b""[..], b"+O", b"$5\r\nab", b"*2\r\n:1\r\n", b"$2\r\nab"] {
            assert!(
                matches!(r(truncated), Err(ReadError::Io(_))),
                "{}",
                String::from_utf8_lossy(truncated)
            );
        }
    }

    #[test]
    fn numbers_are_read_as_str_parse_reads_them() {
        for t in [
            "0",
            "7",
            "-1",
            "+5",
            "42",
            "-0",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999",
            "",
            "-",
            "+",
            "1x",
            " 1",
            "1 ",
            "--1",
            "+-1",
            "0x10",
            "\u{0}",
        ] {
            assert_eq!(parse_int(t.as_bytes()).ok(), t.parse::<i64>().ok(), "{t:?}");
        }
    }

    #[test]
    fn a_reply_split_anywhere_reads_the_same() {
        let bytes = b"*3\r\n+QUEUED\r\n$5\r\nab\r\nc\r\n*2\r\n:-12\r\n-NOSCRIPT x\r\n";
        let whole = read(bytes).unwrap();
        for cap in 1..bytes.len() {
            let mut r = std::io::BufReader::with_capacity(cap, &bytes[..]);
            assert_eq!(
                read_value(&mut r, &Limits::default()).unwrap(),
                whole,
                "{cap}"
            );
        }
    }

    /// What `query_until` makes of a reply read in full: its first error, and whether it is
    /// the reply itself.
    fn first_error(v: &Value) -> Option<(ServerError, bool)> {
        match v {
            Value::ServerError(e) => Some((e.clone(), true)),
            Value::Array(items) => items.iter().find_map(first_error).map(|(e, _)| (e, false)),
            _ => None,
        }
    }

    /// Skipping agrees with reading: the same bytes consumed, the same error or the same
    /// first server error.
    pub(crate) fn skip_agrees(bytes: &[u8], limits: &Limits) {
        let (mut a, mut b) = (bytes, bytes);
        match (read_value(&mut a, limits), skip_value(&mut b, limits)) {
            (Ok(v), Ok(found)) => {
                assert_eq!(
                    found.pair(),
                    first_error(&v),
                    "{:?}",
                    String::from_utf8_lossy(bytes)
                );
                assert_eq!(a.len(), b.len(), "consumed");
            }
            (Err(x), Err(y)) => assert_eq!(x.to_string(), y.to_string()),
            (x, y) => panic!(
                "read {x:?} but skip {y:?}: {:?}",
                String::from_utf8_lossy(bytes)
            ),
        }
    }

    #[test]
    fn skipping_a_reply_checks_what_reading_it_checks() {
        let small = Limits {
            max_bulk: 4,
            max_depth: 3,
            max_elements: 3,
        };
        for bytes in [
            &b"+QUEUED\r\n"[..],
            b"+OK\r\n:1\r\n",
            b"-NOPERM no\r\n",
            b"*3\r\n:1\r\n-EXECABORT x\r\n-NOSCRIPT y\r\n",
            b"*2\r\n*1\r\n-ERR in\r\n$-1\r\n",
            b"$4\r\nabcd\r\n",
            b"$5\r\nabcde\r\n",
            b"$4\r\nabcdXY",
            b"$4\r\nab",
            b"*4\r\n:1\r\n:1\r\n:1\r\n:1\r\n",
            b"*1\r\n*1\r\n*1\r\n:1\r\n",
            b"*1\r\n*1\r\n:1\r\n",
            b"*-1\r\n",
            b"$-1\r\n",
            b"%1\r\n",
            b"+OK\n",
            b"",
            b":99999999999999999999\r\n",
        ] {
            skip_agrees(bytes, &small);
            skip_agrees(bytes, &Limits::default());
        }
    }

    #[test]
    fn bulk_at_the_limit_is_read() {
        let limits = Limits {
            max_bulk: 3,
            ..Limits::default()
        };
        assert_eq!(
            read_value(&mut &b"$3\r\nabc\r\n"[..], &limits).unwrap(),
            bulk("abc")
        );
        assert!(read_value(&mut &b"$4\r\nabcd\r\n"[..], &limits).is_err());
    }

    #[test]
    fn replies_in_a_row_are_read_one_by_one() {
        let mut bytes = &b"+OK\r\n:1\r\n$1\r\nx\r\n"[..];
        let l = Limits::default();
        assert_eq!(read_value(&mut bytes, &l).unwrap(), Value::Okay);
        assert_eq!(read_value(&mut bytes, &l).unwrap(), Value::Int(1));
        assert_eq!(read_value(&mut bytes, &l).unwrap(), bulk("x"));
        assert!(bytes.is_empty());
    }
}
