//! Generates the client modules from `spec/` into `OUT_DIR`.

fn main() -> Result<(), codegen::BuildError> {
    codegen::compile_specs("spec")
}
