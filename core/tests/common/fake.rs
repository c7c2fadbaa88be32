//! A fake server on loopback for replies no real server sends on demand (garbage, huge
//! lengths, truncation, dripping). Each command it receives (a RESP array) gets the next
//! scripted reply; when none is left the connection is closed. CLUSTER SLOTS and INFO (the
//! version probe) are answered as a server would, outside the script. Shared by the mutation test
//! (core/tests/security_real_servers.rs) and the `handler_replies` fuzz target.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What to answer one command with.
#[derive(Debug, Clone)]
pub enum Reply {
    /// These bytes, at once.
    Bytes(Vec<u8>),
    /// These bytes after a pause.
    Late(Duration, Vec<u8>),
    /// These bytes one at a time, with a pause before each.
    Drip(Duration, Vec<u8>),
    /// Close the connection instead of answering.
    Close,
}

pub struct FakeServer {
    pub port: u16,
    queue: Arc<Mutex<VecDeque<Reply>>>,
    /// Replies for CLUSTER SLOTS (every slot on this server unless set).
    slots: Arc<Mutex<Option<Vec<u8>>>>,
    /// Every command received, as its arguments.
    pub seen: Arc<Mutex<Vec<Vec<Vec<u8>>>>>,
}

impl FakeServer {
    /// Listens on a free loopback port; serves until the process ends (threads are detached).
    pub fn start() -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let queue: Arc<Mutex<VecDeque<Reply>>> = Arc::default();
        let slots: Arc<Mutex<Option<Vec<u8>>>> = Arc::default();
        let seen: Arc<Mutex<Vec<Vec<Vec<u8>>>>> = Arc::default();
        let (q, sl, se) = (queue.clone(), slots.clone(), seen.clone());
        thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let (q, sl, se) = (q.clone(), sl.clone(), se.clone());
                thread::spawn(move || serve(conn, port, q, sl, se));
            }
        });
        FakeServer {
            port,
            queue,
            slots,
            seen,
        }
    }

    /// Replaces the scripted replies.
    pub fn script(&self, replies: impl IntoIterator<Item = Reply>) {
        let mut q = self.queue.lock().unwrap();
        q.clear();
        q.extend(replies);
    }

    pub fn set_cluster_slots(&self, reply: Option<Vec<u8>>) {
        *self.slots.lock().unwrap() = reply;
    }

    pub fn left(&self) -> usize {
        self.queue.lock().unwrap().len()
    }
}

fn serve(
    conn: TcpStream,
    port: u16,
    queue: Arc<Mutex<VecDeque<Reply>>>,
    slots: Arc<Mutex<Option<Vec<u8>>>>,
    seen: Arc<Mutex<Vec<Vec<Vec<u8>>>>>,
) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(30)));
    let mut out = match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    };
    let mut r = BufReader::new(conn);
    while let Some(cmd) = read_command(&mut r) {
        seen.lock().unwrap().push(cmd.clone());
        let name = cmd
            .first()
            .map(|a| a.to_ascii_uppercase())
            .unwrap_or_default();
        let sub = cmd
            .get(1)
            .map(|a| a.to_ascii_uppercase())
            .unwrap_or_default();
        let reply = if name == b"CLUSTER" && sub == b"SLOTS" {
            let custom = slots.lock().unwrap().clone();
            Reply::Bytes(custom.unwrap_or_else(|| {
                format!("*1\r\n*3\r\n:0\r\n:16383\r\n*2\r\n$9\r\n127.0.0.1\r\n:{port}\r\n")
                    .into_bytes()
            }))
        } else if name == b"INFO" {
            // The version probe on a connection's first round trip, answered like a server.
            let info = "# Server\r\nredis_version:7.0.15\r\n";
            Reply::Bytes(format!("${}\r\n{info}\r\n", info.len()).into_bytes())
        } else {
            match queue.lock().unwrap().pop_front() {
                Some(r) => r,
                None => Reply::Close,
            }
        };
        let ok = match reply {
            Reply::Bytes(b) => out.write_all(&b).is_ok(),
            Reply::Late(d, b) => {
                thread::sleep(d);
                out.write_all(&b).is_ok()
            }
            Reply::Drip(d, b) => b.iter().all(|byte| {
                thread::sleep(d);
                out.write_all(&[*byte]).is_ok()
            }),
            Reply::Close => false,
        };
        if !ok {
            return;
        }
    }
}

/// One command: a RESP array of bulk strings (what every client sends).
fn read_command(r: &mut impl BufRead) -> Option<Vec<Vec<u8>>> {
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let n: usize = line.trim_end().strip_prefix('*')?.parse().ok()?;
    let mut args = Vec::with_capacity(n.min(64));
    for _ in 0..n {
        line.clear();
        r.read_line(&mut line).ok()?;
        let len: usize = line.trim_end().strip_prefix('$')?.parse().ok()?;
        let mut arg = vec![0u8; len + 2];
        r.read_exact(&mut arg).ok()?;
        arg.truncate(len);
        args.push(arg);
    }
    Some(args)
}
