//! `cargo run --release --example gencorpus -- --stories N --seed S --out DIR
//! [--format brief|hugo|zola]`: writes a deterministic generated site for
//! benchmarks (see `corpus/mod.rs` and `scripts/bench.sh`).

mod corpus;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: gencorpus --stories N --out DIR [--seed S] [--format brief|hugo|zola]";

fn parse(args: &[String]) -> Result<(corpus::Options, PathBuf), String> {
    let mut opts = corpus::Options {
        stories: 1000,
        seed: 1,
        format: corpus::Format::Brief,
    };
    let mut out = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_string());
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--stories" => {
                opts.stories = value
                    .parse()
                    .map_err(|_| format!("--stories: not a number: {value}"))?
            }
            "--seed" => {
                opts.seed = value
                    .parse()
                    .map_err(|_| format!("--seed: not a number: {value}"))?
            }
            "--format" => {
                opts.format = corpus::Format::parse(value)
                    .ok_or_else(|| format!("--format: brief, hugo or zola, not {value}"))?
            }
            "--out" => out = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown argument {flag}\n{USAGE}")),
        }
    }
    let out = out.ok_or_else(|| format!("--out is required\n{USAGE}"))?;
    Ok((opts, out))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (opts, out) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match corpus::generate(&opts, &out) {
        Ok(s) => {
            println!(
                "{}: {} stories, {} companies, {} people, {} topics; {} files, {} bytes",
                out.display(),
                s.stories,
                s.companies,
                s.people,
                s.topics,
                s.files,
                s.bytes
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gencorpus: {}: {e}", out.display());
            ExitCode::FAILURE
        }
    }
}
