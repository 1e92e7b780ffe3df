//! Generates the client modules from `spec/` into `OUT_DIR`.

fn main() {
    codegen::build::compile("spec");
}
