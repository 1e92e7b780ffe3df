//! `synth-specs`: writes a deterministic set of synthetic endpoint specs, for measuring the
//! generator and the generated crate at scale, and with `--openapi` the same API as one
//! OpenAPI 3.0 document, for comparing with generators that read OpenAPI.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use codegen::synth::Mode;

#[derive(Parser)]
#[command(
    about = "Write N synthetic endpoint specs in the spec format",
    long_about = "Write N synthetic endpoint specs in the spec format (`<out>/<vendor>/<module>.yaml`), \
                  the same text for endpoint k whatever N. By default endpoints cycle through the \
                  three protocol families; with --json-only every endpoint is a plain JSON one \
                  (dingtalk-oapi), and --openapi also writes that API as one OpenAPI 3.0.3 document."
)]
struct Cli {
    /// How many endpoints.
    #[arg(long)]
    count: usize,
    /// The spec folder to write into (`<out>/<vendor>/<module>.yaml`).
    #[arg(long)]
    out: PathBuf,
    /// Make every endpoint a plain JSON one: protocol `dingtalk-oapi`, a JSON body, all under
    /// `<out>/dingtalk/`.
    #[arg(long)]
    json_only: bool,
    /// Also write the same API as one OpenAPI 3.0.3 document to this file: one POST operation
    /// per endpoint, named after its client method. YAML when the name ends in `.yaml` or
    /// `.yml`, JSON otherwise. Needs --json-only.
    #[arg(long, value_name = "FILE", requires = "json_only")]
    openapi: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mode = if cli.json_only {
        Mode::JsonOnly
    } else {
        Mode::Mixed
    };
    match codegen::synth::write_with(cli.count, mode, &cli.out) {
        Ok(files) => println!(
            "wrote {} endpoints in {files} files to {}",
            cli.count,
            cli.out.display()
        ),
        Err(e) => {
            eprintln!("cannot write to {}: {e}", cli.out.display());
            return ExitCode::FAILURE;
        }
    }
    if let Some(file) = &cli.openapi {
        if let Err(e) = codegen::synth::write_openapi(cli.count, file) {
            eprintln!("cannot write {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
        println!(
            "wrote the same API as OpenAPI {} to {}",
            codegen::synth::OPENAPI_VERSION,
            file.display()
        );
    }
    ExitCode::SUCCESS
}
