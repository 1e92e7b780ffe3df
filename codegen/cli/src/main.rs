//! `codegen`: generate the typed client from the YAML specs, or check the specs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use codegen::{check_dir, generate_dir, write, Failure, Layout};

#[derive(Parser)]
#[command(
    version,
    about = "Generate typed Rust API clients from YAML endpoint specs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the generated modules to a folder and print a summary.
    Generate {
        /// The spec folder: one sub-folder per vendor, one YAML file per endpoint.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
        /// Where to write the generated module tree.
        #[arg(long, default_value = "target/generated")]
        out: PathBuf,
        /// Write nothing; exit with status 1 if the folder is not up to date.
        #[arg(long)]
        check: bool,
    },
    /// Report every problem in the specs; exit with status 1 if there is any.
    Check {
        /// The spec folder.
        #[arg(long, default_value = "spec")]
        spec: PathBuf,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Check { spec } => {
            let diags = check_dir(&spec);
            if diags.is_empty() {
                println!("{}: no problems found", spec.display());
                ExitCode::SUCCESS
            } else {
                eprintln!("{diags}");
                ExitCode::FAILURE
            }
        }
        Command::Generate { spec, out, check } => {
            let output = match generate_dir(&spec, Layout::Tree) {
                Ok(o) => o,
                Err(Failure::Specs(d)) => {
                    eprintln!("{d}");
                    return ExitCode::FAILURE;
                }
                Err(e) => {
                    eprintln!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            if check {
                let stale: Vec<&String> = output
                    .files
                    .iter()
                    .filter(|(rel, content)| {
                        std::fs::read_to_string(out.join(rel)).ok().as_ref() != Some(*content)
                    })
                    .map(|(rel, _)| rel)
                    .collect();
                if stale.is_empty() {
                    println!("{} is up to date", out.display());
                    return ExitCode::SUCCESS;
                }
                for rel in stale {
                    eprintln!("out of date: {}", out.join(rel).display());
                }
                return ExitCode::FAILURE;
            }
            match write::write_output(&output, &out) {
                Ok(report) => {
                    println!("{}", output.summary);
                    println!(
                        "wrote {} files to {} ({} unchanged, {} removed)",
                        report.written.len(),
                        out.display(),
                        report.unchanged,
                        report.removed.len()
                    );
                    for f in &report.written {
                        println!("  written: {f}");
                    }
                    for f in &report.removed {
                        println!("  removed: {f}");
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("cannot write to {}: {e}", out.display());
                    ExitCode::FAILURE
                }
            }
        }
    }
}
