//! What the fleet tests run: a Redis of their own, a fake oapi server, worker processes.

pub mod redis_server;
pub mod server;
pub mod worker;
