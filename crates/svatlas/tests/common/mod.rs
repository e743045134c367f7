//! Helpers shared by the integration tests that run the real `svatlas` binary.
// Each test file compiles this module on its own and uses a different subset of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

pub fn svatlas() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_svatlas"));
    command.env_remove("DATABASE_URL").env("RUST_LOG", "info");
    command
}

pub fn http_get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// Starts `svatlas serve` on a free port and returns it once the server says where it listens.
pub fn spawn_serve(
    cwd: &std::path::Path,
    url: &str,
    extra: &[&str],
) -> (
    std::process::Child,
    BufReader<std::process::ChildStderr>,
    u16,
) {
    let mut child = svatlas()
        .current_dir(cwd)
        .args(["--database-url", url, "serve", "--bind", "127.0.0.1:0"])
        .args(extra)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut port = None;
    let mut line = String::new();
    let mut seen = String::new();
    while port.is_none() && stderr.read_line(&mut line).unwrap() > 0 {
        seen.push_str(&line);
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            port = digits.parse().ok();
        }
        line.clear();
    }
    let Some(port) = port else {
        let _ = child.kill();
        panic!("server did not print its address; it said: {seen}");
    };
    (child, stderr, port)
}
