//! Worker processes (`src/bin/fleet_worker.rs`): started with arguments, read line by line.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A running worker.
pub struct Worker {
    /// A name for messages.
    pub name: String,
    child: Child,
    lines: Receiver<String>,
    stderr: Arc<Mutex<String>>,
}

/// What a worker reported when its calls ended.
#[derive(Debug, Clone)]
pub struct Report {
    pub pid: u32,
    pub ok: u64,
    pub failed: u64,
    pub elapsed_ms: u64,
    /// Shown in failure messages (through `Debug`).
    #[allow(dead_code)]
    pub errors: Value,
}

impl Worker {
    /// Start `fleet_worker` with `args`.
    pub fn spawn(name: &str, args: &[String]) -> Worker {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fleet_worker"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start fleet_worker");
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Worker {
            name: name.to_owned(),
            child,
            lines,
            stderr,
        }
    }

    /// The worker's log so far.
    pub fn log(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Wait (at most `limit`) for the worker's JSON line whose `event` is `event`.
    pub async fn wait_event(&mut self, event: &str, limit: Duration) -> Value {
        let started = Instant::now();
        loop {
            match self.lines.try_recv() {
                Ok(line) => {
                    let value: Value = serde_json::from_str(&line).unwrap_or(Value::Null);
                    if value["event"] == event {
                        return value;
                    }
                }
                Err(TryRecvError::Empty) => {
                    assert!(
                        started.elapsed() < limit,
                        "{}: no {event:?} within {limit:?}; log:\n{}",
                        self.name,
                        self.log()
                    );
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                Err(TryRecvError::Disconnected) => {
                    let status = self.child.wait();
                    panic!(
                        "{}: ended ({status:?}) before {event:?}; log:\n{}",
                        self.name,
                        self.log()
                    );
                }
            }
        }
    }

    /// Wait (at most `limit`) for the worker's report, and for it to exit.
    pub async fn finish(mut self, limit: Duration) -> (Report, String) {
        let done = self.wait_event("done", limit).await;
        let status = self.child.wait().expect("wait for fleet_worker");
        assert!(status.success(), "{}: {status}\n{}", self.name, self.log());
        // The log reader ends with the process; give it a moment to drain.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let report = Report {
            pid: done["pid"].as_u64().unwrap_or(0) as u32,
            ok: done["ok"].as_u64().unwrap(),
            failed: done["failed"].as_u64().unwrap(),
            elapsed_ms: done["elapsed_ms"].as_u64().unwrap(),
            errors: done["errors"].clone(),
        };
        (report, self.log())
    }

    /// Kill the worker with SIGKILL, as a crash would end it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
