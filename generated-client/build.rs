//! Generates the client modules from `../spec` into `OUT_DIR` on every build that needs it.

// The generator allocates for every token it writes; with mimalloc instead of the system
// allocator, and the workspace's optimized build scripts, generating 1,000 endpoints takes a
// sixth less time (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), codegen::BuildError> {
    codegen::Config::new()
        .spec_dir("../spec")
        // Every client method's documentation gets an example that `cargo test --doc` compiles.
        .doc_examples("generated_client")
        .compile()
}
