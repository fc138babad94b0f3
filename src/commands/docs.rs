//! `digestlens completions SHELL` and `digestlens man [--out DIR]`: generated from the clap
//! definitions, so they always list the flags this build accepts.

use std::fs;

use clap::CommandFactory;

use super::{Outcome, stdout};
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::Error;

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<Outcome> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "digestlens", &mut script);
    stdout(&script)?;
    Ok(Outcome::Clean)
}

pub fn man(args: &ManArgs) -> anyhow::Result<Outcome> {
    let command = Cli::command();
    let Some(dir) = &args.out else {
        let mut page = Vec::new();
        clap_mangen::Man::new(command).render(&mut page).map_err(|e| Error::io(std::path::Path::new("<stdout>"), e))?;
        stdout(&page)?;
        return Ok(Outcome::Clean);
    };
    fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut pages = vec![("digestlens.1".to_owned(), command.clone())];
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("digestlens-{}", sub.get_name());
        pages.push((
            format!("{name}.1"),
            sub.clone().display_name(name.clone()).bin_name(name).version(env!("CARGO_PKG_VERSION")),
        ));
    }
    let count = pages.len();
    for (file, page) in pages {
        let mut roff = Vec::new();
        let path = dir.join(&file);
        clap_mangen::Man::new(page).render(&mut roff).map_err(|e| Error::io(&path, e))?;
        crate::store::io::write_if_changed(&path, &roff)?;
    }
    eprintln!("wrote {} man pages to {}", count, dir.display());
    Ok(Outcome::Clean)
}
