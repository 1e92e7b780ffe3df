//! `synth-specs`: writes a deterministic set of synthetic endpoint specs, for measuring the
//! generator and the generated crate at scale.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Write N synthetic endpoint specs in the spec format")]
struct Cli {
    /// How many endpoints.
    #[arg(long)]
    count: usize,
    /// The spec folder to write into (`<out>/<vendor>/<module>.yaml`).
    #[arg(long)]
    out: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match codegen::synth::write(cli.count, &cli.out) {
        Ok(files) => {
            println!(
                "wrote {} endpoints in {files} files to {}",
                cli.count,
                cli.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot write to {}: {e}", cli.out.display());
            ExitCode::FAILURE
        }
    }
}
