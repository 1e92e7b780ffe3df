//! Generates this part of the API from `../spec/types` into `OUT_DIR`.

fn main() -> Result<(), codegen::BuildError> {
    codegen::Config::new().spec_dir("../spec/types").compile()
}
