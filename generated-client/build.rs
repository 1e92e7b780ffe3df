//! Generates the client modules from `../spec` into `OUT_DIR` on every build that needs it.

fn main() -> Result<(), codegen::BuildError> {
    codegen::Config::new()
        .spec_dir("../spec")
        // Every client method's documentation gets an example that `cargo test --doc` compiles.
        .doc_examples("generated_client")
        .compile()
}
