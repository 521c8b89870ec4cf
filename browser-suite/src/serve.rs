//! Running actix-web servers next to the async test driver, and waiting for ports.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use actix_web::dev::Server;

/// Builds and runs a server on a thread of its own with its own actix system. A server that
/// cannot start (port taken) ends the suite with the reason.
pub fn on_thread(build: impl FnOnce() -> std::io::Result<Server> + Send + 'static) {
    std::thread::spawn(move || {
        let result = actix_web::rt::System::new().block_on(async move { build()?.await });
        if let Err(error) = result {
            eprintln!("browser-suite: a server failed: {error}");
            std::process::exit(2);
        }
    });
}

/// Waits until something accepts connections on `addr`, for at most `limit`.
pub fn wait_for(addr: &str, limit: Duration) -> Result<(), String> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if TcpStream::connect(addr).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("nothing listens on {addr} after {limit:?}"))
}
