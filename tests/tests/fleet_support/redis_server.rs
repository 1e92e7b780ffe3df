//! A `redis-server` of the test's own on a free loopback port, killed on drop.
//!
//! When `redis-server` is not on `PATH` and this is root (or has password-less `sudo`) with
//! `apt-get`, it is installed once (serialized within the process and between processes). When it cannot be had the test is
//! skipped with the reason printed, unless `CI=true`, where that is a failure.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime};

/// A running `redis-server`.
pub struct RedisServer {
    child: Option<Child>,
    /// `redis://127.0.0.1:<port>`.
    pub url: String,
}

impl RedisServer {
    /// Start a server, or `None` (with the reason printed) when there is no `redis-server` to
    /// start. Panics instead of skipping when `CI` is `true`.
    pub fn start(test: &str) -> Option<RedisServer> {
        let outcome = redis_server_binary().and_then(|binary| spawn(&binary));
        match outcome {
            Ok(server) => Some(server),
            Err(reason) if std::env::var("CI").as_deref() == Ok("true") => {
                panic!("{test}: CI=true and no redis-server: {reason}")
            }
            Err(reason) => {
                eprintln!("SKIPPED {test}: {reason}");
                None
            }
        }
    }

    /// Kill the server (SIGKILL) and wait for it to end.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// A plain connection, for the test to read and write keys.
    pub fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url.as_str())
            .and_then(|c| c.get_connection_with_timeout(Duration::from_secs(5)))
            .expect("connect to the test's redis-server")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn spawn(binary: &Path) -> Result<RedisServer, String> {
    let mut last = String::new();
    // A free port can be taken between the probe and the start: try a few.
    for _ in 0..5 {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port on 127.0.0.1: {e}"))?
            .port();
        let mut child = Command::new(binary)
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .args(["--dir", &std::env::temp_dir().to_string_lossy()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            if let Ok(Some(status)) = child.try_wait() {
                let mut err = String::new();
                if let Some(mut stderr) = child.stderr.take() {
                    let _ = stderr.read_to_string(&mut err);
                }
                last = format!("redis-server exited ({status}): {}", err.trim());
                break;
            }
            if ping(port) {
                return Ok(RedisServer {
                    child: Some(child),
                    url: format!("redis://127.0.0.1:{port}"),
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
        if last.is_empty() {
            last = format!("redis-server on port {port} did not answer PING within 10 s");
        }
    }
    Err(last)
}

/// Whether a Redis on `port` answers `PING`.
fn ping(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut answer = [0u8; 7];
    stream.write_all(b"PING\r\n").is_ok()
        && stream.read_exact(&mut answer).is_ok()
        && &answer == b"+PONG\r\n"
}

/// The `redis-server` binary: found, or installed once per process.
fn redis_server_binary() -> Result<PathBuf, String> {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    FOUND
        .get_or_init(|| {
            if let Some(path) = find("redis-server") {
                return Ok(path);
            }
            install()?;
            find("redis-server")
                .ok_or_else(|| "apt-get installed redis-server but it is not on PATH".to_owned())
        })
        .clone()
}

/// `name` on `PATH`, or in the usual system folders.
fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/local/bin", "/usr/bin", "/usr/sbin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

fn install() -> Result<(), String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    // Root runs apt-get itself; a user with password-less sudo (as on hosted CI runners)
    // through `sudo -n`.
    let sudo = uid != "0";
    if sudo
        && !Command::new("sudo")
            .args(["-n", "true"])
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|o| o.status.success())
    {
        return Err(
            "redis-server is not on PATH, and installing it needs root or password-less sudo"
                .into(),
        );
    }
    if find("apt-get").is_none() {
        return Err("redis-server is not on PATH, and there is no apt-get to install it".into());
    }
    // Test binaries may run in parallel processes: one installs, the others wait for it.
    let _lock = InstallLock::take()?;
    if find("redis-server").is_some() {
        return Ok(());
    }
    let how = if sudo { "sudo -n apt-get" } else { "apt-get" };
    eprintln!(
        "redis-server is not on PATH: installing it ({how} update; {how} install -y redis-server)"
    );
    let run = |args: &[&str]| -> Result<(), String> {
        let mut command = if sudo {
            let mut c = Command::new("sudo");
            c.args(["-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]);
            c
        } else {
            Command::new("apt-get")
        };
        let output = command
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("{how} {}: {e}", args.join(" ")))?;
        if output.status.success() {
            return Ok(());
        }
        let err = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = err.lines().rev().take(5).collect();
        Err(format!(
            "{how} {} failed ({}): {}",
            args.join(" "),
            output.status,
            tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
        ))
    };
    run(&["update"])?;
    // Waits for an apt run already under way (a fresh machine's unattended upgrades) rather than
    // failing on its lock.
    run(&[
        "install",
        "-y",
        "--no-install-recommends",
        "-o",
        "DPkg::Lock::Timeout=300",
        "redis-server",
    ])?;
    eprintln!("installed redis-server");
    Ok(())
}

/// A lock file held while installing; one older than 15 minutes is taken to be left over.
struct InstallLock(PathBuf);

impl InstallLock {
    fn take() -> Result<InstallLock, String> {
        let path = std::env::temp_dir().join("spec-tests-redis-install.lock");
        let started = Instant::now();
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) => return Ok(InstallLock(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| SystemTime::now().duration_since(t).ok())
                        .is_some_and(|age| age > Duration::from_secs(900));
                    if stale {
                        let _ = std::fs::remove_file(&path);
                    } else if started.elapsed() > Duration::from_secs(900) {
                        return Err(format!("{} is held for over 15 minutes", path.display()));
                    } else {
                        std::thread::sleep(Duration::from_millis(200));
                    }
                }
                Err(e) => return Err(format!("cannot create {}: {e}", path.display())),
            }
        }
    }
}

impl Drop for InstallLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
