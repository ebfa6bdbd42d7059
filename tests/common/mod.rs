//! Running the binary on temporary projects, shared by the command-line tests.
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

/// Runs `auth0-migrate ARGS` in `dir`, with `NO_COLOR` and outside GitHub Actions, plus
/// the given environment.
pub fn run_in(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_auth0-migrate"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1").env_remove("GITHUB_ACTIONS");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("binary runs")
}

pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_in(dir, args, &[])
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("exit code")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A temporary directory holding `files` (`(relative path, contents)`).
pub fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}
