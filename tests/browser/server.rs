//! Servers the browser suite talks to, each a child process that prints
//! `serving at URL` when it listens: the static file server
//! (`tests/browser/serve.py`, Python's http.server behaving as a host
//! does) and `brief serve`. Stopped when dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub struct Server {
    child: Child,
    /// The address it printed, ending in `/`.
    pub url: String,
}

impl Server {
    /// Starts `cmd` and waits (up to 60 s) for its `serving at URL` line.
    fn start(mut cmd: Command, what: &str) -> Server {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("serving at ") {
                    let url = rest.split_whitespace().next().unwrap_or("").to_string();
                    let _ = tx.send(url);
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => Server { child, url },
            Err(_) => {
                let _ = child.kill();
                panic!("{what} did not say \"serving at\" within 60 s");
            }
        }
    }

    /// Serves the built sites under `root` over HTTP.
    pub fn files(root: &Path) -> Server {
        let mut cmd = Command::new("python3");
        cmd.arg(super::tools::scripts().join("serve.py")).arg(root);
        Server::start(cmd, "the static file server")
    }

    /// `brief serve --port 0` on the site at `root`.
    pub fn brief(root: &Path) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_brief"));
        cmd.args(["serve", "--port", "0", "--root"])
            .arg(root)
            .env("NO_COLOR", "1");
        Server::start(cmd, "brief serve")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
