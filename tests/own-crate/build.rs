//! Generates the client from `spec/` into `OUT_DIR`.

fn main() -> Result<(), codegen::BuildError> {
    codegen::Config::new().spec_dir("spec").compile()
}
