//! Commands as the bytes that go on the wire: each argument is encoded in RESP as it is added,
//! into one buffer per command (redis-rs's `Cmd` keeps two, and is encoded again when sent).
//! A command without arguments of its own (MULTI, EXEC, ASKING) is a constant and allocates
//! nothing. Replies are read by `resp.rs`; connecting, TLS and AUTH stay in `node.rs`.

use std::borrow::Cow;

/// One command: its argument count and its arguments in RESP (`$<len>\r\n<bytes>\r\n` each);
/// the array header (`*<count>\r\n`) is written when it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmd {
    argc: usize,
    body: Cow<'static, [u8]>,
}

/// `MULTI`.
pub const MULTI: Cmd = Cmd::constant(b"$5\r\nMULTI\r\n", 1);
/// `EXEC`.
pub const EXEC: Cmd = Cmd::constant(b"$4\r\nEXEC\r\n", 1);
/// `ASKING`.
pub const ASKING: Cmd = Cmd::constant(b"$6\r\nASKING\r\n", 1);

/// A command named `name`; arguments follow with [`Cmd::arg`].
pub fn cmd(name: &str) -> Cmd {
    let mut c = Cmd::with_capacity(4, 64);
    c.arg(name);
    c
}

impl Cmd {
    /// A command given as its RESP body of `argc` arguments.
    pub(crate) const fn constant(body: &'static [u8], argc: usize) -> Cmd {
        Cmd {
            argc,
            body: Cow::Borrowed(body),
        }
    }

    /// An empty command with room for `args` arguments of `bytes` bytes in all.
    pub fn with_capacity(args: usize, bytes: usize) -> Cmd {
        Cmd {
            argc: 0,
            // "$<len>\r\n" + "\r\n": at most 16 bytes for any argument shorter than 100 GB.
            body: Cow::Owned(Vec::with_capacity(bytes + args * 16)),
        }
    }

    /// Appends one argument.
    pub fn arg(&mut self, a: impl Arg) -> &mut Cmd {
        a.write_arg(self.body.to_mut());
        self.argc += 1;
        self
    }

    /// The number of arguments (the name included).
    pub fn argc(&self) -> usize {
        self.argc
    }

    /// The arguments in RESP, without the array header.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The command's name (its first argument), "" for an empty command.
    pub fn name(&self) -> &[u8] {
        // The body starts "$<len>\r\n<name>\r\n".
        let b = &self.body[..];
        let digits = b.iter().skip(1).take_while(|c| c.is_ascii_digit());
        let len = digits.clone().fold(0usize, |n, c| {
            n.saturating_mul(10).saturating_add(usize::from(c - b'0'))
        });
        let start = 1 + digits.count() + 2;
        b.get(start..start.saturating_add(len)).unwrap_or(b"")
    }

    /// The whole command as sent.
    pub fn packed(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 16);
        push_len(&mut out, b'*', self.argc);
        out.extend_from_slice(&self.body);
        out
    }

    /// Whether this command is `name` (ASCII case ignored).
    pub fn is(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name.as_bytes())
    }
}

/// A command `parts` (name first), built at its final size: one allocation.
pub fn command(parts: &[&[u8]]) -> Cmd {
    let mut cmd = Cmd::with_capacity(parts.len(), parts.iter().map(|p| p.len()).sum());
    for p in parts {
        cmd.arg(*p);
    }
    cmd
}

/// Something a command can take as an argument: bytes, text or an integer (sent in decimal).
pub trait Arg {
    fn write_arg(&self, out: &mut Vec<u8>);
}

/// Appends a bulk string.
#[inline]
fn bulk(out: &mut Vec<u8>, b: &[u8]) {
    push_len(out, b'$', b.len());
    out.extend_from_slice(b);
    out.extend_from_slice(b"\r\n");
}

impl Arg for [u8] {
    fn write_arg(&self, out: &mut Vec<u8>) {
        bulk(out, self);
    }
}

impl<const N: usize> Arg for [u8; N] {
    fn write_arg(&self, out: &mut Vec<u8>) {
        bulk(out, self);
    }
}

impl Arg for Vec<u8> {
    fn write_arg(&self, out: &mut Vec<u8>) {
        bulk(out, self);
    }
}

impl Arg for str {
    fn write_arg(&self, out: &mut Vec<u8>) {
        bulk(out, self.as_bytes());
    }
}

impl Arg for String {
    fn write_arg(&self, out: &mut Vec<u8>) {
        bulk(out, self.as_bytes());
    }
}

impl<T: Arg + ?Sized> Arg for &T {
    fn write_arg(&self, out: &mut Vec<u8>) {
        (**self).write_arg(out);
    }
}

/// A number's decimal digits, kept on the stack: a TTL or a count sent as text without a
/// `String` of its own.
#[derive(Clone, Copy)]
pub struct Decimal {
    /// Room for i64::MIN and u64::MAX (20 characters).
    buf: [u8; 20],
    len: u8,
}

impl Decimal {
    pub fn new(n: i64) -> Decimal {
        Decimal::of(itoa::Buffer::new().format(n))
    }

    pub fn unsigned(n: u64) -> Decimal {
        Decimal::of(itoa::Buffer::new().format(n))
    }

    fn of(digits: &str) -> Decimal {
        let mut buf = [0u8; 20];
        buf[..digits.len()].copy_from_slice(digits.as_bytes());
        Decimal {
            buf,
            len: digits.len() as u8,
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(self.as_bytes()).unwrap_or("0")
    }

    /// The digits (without the UTF-8 check that `as_str` makes).
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf[..usize::from(self.len)]
    }
}

impl std::ops::Deref for Decimal {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Arg for Decimal {
    fn write_arg(&self, out: &mut Vec<u8>) {
        bulk(out, self.as_bytes());
    }
}

macro_rules! integer_args {
    ($make:ident: $($t:ty),*) => {$(
        impl Arg for $t {
            fn write_arg(&self, out: &mut Vec<u8>) {
                Decimal::$make((*self).into()).write_arg(out);
            }
        }
    )*};
}

integer_args!(new: i8, i16, i32, i64);
integer_args!(unsigned: u8, u16, u32, u64);

impl Arg for usize {
    fn write_arg(&self, out: &mut Vec<u8>) {
        Decimal::unsigned(*self as u64).write_arg(out);
    }
}

/// Appends `<prefix><n>\r\n` (a RESP array or bulk header) without formatting machinery: it
/// runs for every argument of every command.
#[inline]
pub(crate) fn push_len(buf: &mut Vec<u8>, prefix: u8, n: usize) {
    if n < 10 {
        buf.extend_from_slice(&[prefix, b'0' + n as u8, b'\r', b'\n']);
        return;
    }
    buf.push(prefix);
    buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    buf.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packed(c: &Cmd) -> Vec<u8> {
        c.packed()
    }

    #[test]
    fn commands_encode_as_redis_rs_packs_them() {
        let big = vec![b'x'; 70_000];
        let mut ours = cmd("SET");
        ours.arg("k")
            .arg(&big[..])
            .arg("EX")
            .arg(60)
            .arg(-7i64)
            .arg(i64::MIN)
            .arg(u64::MAX)
            .arg(0usize)
            .arg(String::from("s"))
            .arg(b"arr")
            .arg(Vec::<u8>::new());
        let mut theirs = redis::cmd("SET");
        theirs
            .arg("k")
            .arg(&big[..])
            .arg("EX")
            .arg(60)
            .arg(-7i64)
            .arg(i64::MIN)
            .arg(u64::MAX)
            .arg(0usize)
            .arg(String::from("s"))
            .arg(b"arr")
            .arg(Vec::<u8>::new());
        assert_eq!(packed(&ours), theirs.get_packed_command());
        for (c, name) in [(MULTI, "MULTI"), (EXEC, "EXEC"), (ASKING, "ASKING")] {
            assert_eq!(packed(&c), redis::cmd(name).get_packed_command());
            assert!(c.is(name) && c.is(&name.to_lowercase()));
        }
        let parts: [&[u8]; 3] = [b"GET", b"", b"key"];
        let mut theirs = redis::cmd("GET");
        theirs.arg("").arg("key");
        assert_eq!(packed(&command(&parts)), theirs.get_packed_command());
    }

    #[test]
    fn a_command_knows_its_name() {
        assert_eq!(cmd("EVALSHA").arg("x").name(), b"EVALSHA");
        assert_eq!(command(&[&[b'n'; 12]]).name(), &[b'n'; 12]);
        assert!(cmd("script").is("SCRIPT"));
        assert!(!cmd("SCRIPTS").is("SCRIPT"));
        assert_eq!(Cmd::with_capacity(0, 0).name(), b"");
        assert_eq!(Cmd::with_capacity(0, 0).argc(), 0);
    }

    #[test]
    fn decimals_are_written_as_to_string_writes_them() {
        for n in [0i64, 1, 9, 10, -1, -10, 1234567, i64::MIN, i64::MAX] {
            assert_eq!(Decimal::new(n).as_str(), n.to_string());
            assert_eq!(&*Decimal::new(n), n.to_string());
            assert_eq!(format!("{}", Decimal::new(n)), n.to_string());
        }
        for n in [0u64, 7, 100, u64::MAX] {
            assert_eq!(Decimal::unsigned(n).as_str(), n.to_string());
        }
    }

    #[test]
    fn lengths_are_written_in_decimal() {
        for n in [0usize, 7, 9, 10, 42, 99, 100, 999, 1000, 65535, usize::MAX] {
            let mut buf = Vec::new();
            push_len(&mut buf, b'$', n);
            assert_eq!(buf, format!("${n}\r\n").into_bytes());
        }
    }
}
