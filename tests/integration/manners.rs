//! Nothing lost, nothing surprising: concurrent writers, closed pipes, special files, JSON.

use std::collections::BTreeSet;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;

use super::*;

/// The digest ids and the entry count of a store.
fn contents(env: &Env, store: &str) -> (BTreeSet<String>, usize) {
    let ids = env.sql(store, "select digest_id from digests");
    let entries = env.sql(store, "select count(*) as n from entries");
    let n = entries.lines().nth(1).and_then(|l| l.trim().parse().ok()).unwrap_or(usize::MAX);
    (ids.lines().skip(1).map(str::to_owned).collect(), n)
}

/// The shared corpus' folders, each ingested by its own process at once.
fn inputs() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = SITE_FOLDERS.iter().map(|f| corpus().join(f)).collect();
    paths.push(corpus().join("third-party/BernieZhu_arxiv-daily-digest"));
    paths.push(corpus().join("third-party/a1henu_arxiv-daily-scroll"));
    paths
}

#[test]
fn simultaneous_ingests_all_land_and_the_store_always_reads() {
    let env = Env::new();
    let all = inputs();
    let mut args = vec!["ingest", "--store", "reference", "-q"];
    args.extend(all.iter().map(|p| s(p)));
    let reference = env.run(&args);
    assert!(matches!(reference.status.code(), Some(0 | 1)), "{}", stderr(&reference));
    let expected = contents(&env, "reference");
    assert!(expected.1 > 200, "{expected:?}");

    for (trial, writers) in [2, 3, 4, 4, 3, 2].into_iter().enumerate() {
        let store = format!("store-{trial}");
        let children: Vec<_> = all[..writers]
            .iter()
            .map(|input| {
                StdCommand::new(cargo_bin("digestlens"))
                    .current_dir(env.path(""))
                    .args(["ingest", "-q", "--store", &store, s(input)])
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("spawn")
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            // Each finishes with its rows in the store (0, or 1 for warnings in its files).
            assert!(matches!(out.status.code(), Some(0 | 1)), "trial {trial}: {}", stderr(&out));
            let (ids, _) = contents(&env, &store);
            assert!(!ids.is_empty(), "trial {trial}: the store reads");
        }
        // A later ingest of every input holds exactly what one ingest of them all holds.
        let mut args = vec!["ingest", "-q", "--store", store.as_str()];
        args.extend(all.iter().map(|p| s(p)));
        let out = env.run(&args);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
        assert_eq!(contents(&env, &store), expected, "trial {trial} with {writers} writers");
    }
}

/// Holds the store's writer lock as another digestlens would.
fn hold_lock(env: &Env, store: &str) -> File {
    std::fs::create_dir_all(env.path(store)).expect("mkdir");
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(env.path(&format!("{store}/lock")))
        .expect("lock file");
    file.lock().expect("lock");
    std::fs::write(env.path(&format!("{store}/lock")), "pid 4242\ncommand digestlens ingest elsewhere\nsince now\n")
        .expect("write");
    file
}

#[test]
fn a_second_writer_waits_or_with_no_wait_is_refused_naming_the_holder() {
    let env = Env::new();
    let seeds = corpus().join("seeds");
    let held = hold_lock(&env, "store");

    let out = env.run(&["ingest", "--no-wait", "--store", "store", s(&seeds)]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("process 4242") && err.contains("store/lock") && err.contains("--no-wait"), "{err}");
    assert!(!env.path("store/CURRENT").exists(), "nothing was written");

    let mut waiting = StdCommand::new(cargo_bin("digestlens"))
        .current_dir(env.path(""))
        .args(["ingest", "-q", "--store", "store", s(&seeds)])
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) {
        assert!(waiting.try_wait().expect("poll").is_none(), "it waits while the lock is held");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(held);
    let out = waiting.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("waiting for the store store: it is being written by process 4242"),
        "{}",
        stderr(&out)
    );
    assert_eq!(contents(&env, "store").0.len(), 5, "the five seeds");
}

#[test]
fn a_lock_left_by_a_killed_writer_does_not_block() {
    let env = Env::new();
    let seeds = corpus().join("seeds");
    // A writer killed mid-ingest leaves its lock file (with its text) behind, but no lock.
    let mut child = StdCommand::new(cargo_bin("digestlens"))
        .current_dir(env.path(""))
        .args(["ingest", "-q", "--store", "store", s(&corpus())])
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    while !env.path("store/lock").exists() && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().expect("kill");
    child.wait().expect("reap");
    let out = env.run(&["ingest", "--no-wait", "-q", "--store", "store", s(&seeds)]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
}

/// Runs a command with its stdout a pipe whose reader is already gone.
fn with_closed_stdout(env: &Env, args: &[&str]) -> std::process::Output {
    let mut child = StdCommand::new(cargo_bin("digestlens"))
        .current_dir(env.path(""))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    child.wait_with_output().expect("wait")
}

#[test]
fn a_closed_stdout_ends_every_command_quietly_with_its_own_exit_code() {
    let (env, _) = ingested();
    let site = corpus().join("site");
    let seeds = corpus().join("seeds");
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", s(&site)],
        vec!["check", "--json", s(&seeds)],
        vec!["sql", "--store", "store", "select * from entries"],
        vec!["sql", "--store", "store", "--json", "select * from keywords"],
        vec!["quality", "--store", "store"],
        vec!["trends", "--store", "store", "--top", "0", "--last", "0"],
        vec!["bursts", "--store", "store", "--csv"],
        vec!["themes", "--store", "store", "--json"],
        vec!["themes", "--store", "store", "--mapping"],
        vec!["keywords", "--store", "store", "--top", "0"],
        vec!["keywords", "--store", "store", "--clusters"],
        vec!["keywords", "--store", "store", "--explain", "LLMs"],
        vec!["sample", "--out", "sample", "--days", "3"],
        vec!["authors", "--store", "store", "--top", "0"],
        vec!["authors", "--store", "store", "--lotka", "--json"],
        vec!["papers", "--store", "store", "--top", "0", "--csv"],
        vec!["evolution", "--store", "store", "--period", "month"],
        vec!["evolution", "--store", "store", "--json"],
        vec!["themes", "--store", "store", "--emerging"],
        vec!["themes", "--store", "store", "--suggest-taxonomy"],
        vec!["config", "--store", "store"],
        vec!["completions", "bash"],
        vec!["man"],
        vec!["--help"],
    ];
    for args in commands {
        let open = env.run(&args);
        let closed = with_closed_stdout(&env, &args);
        let err = stderr(&closed);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe") && !err.contains("error:"),
            "{args:?}: {err}"
        );
        assert_eq!(closed.status.code(), open.status.code(), "{args:?}: the exit code it has with an open stdout");
        assert!(!open.stdout.is_empty(), "{args:?} prints data");
    }
}

#[cfg(unix)]
#[test]
fn fifos_sockets_devices_loops_and_empty_files_get_diagnostics_not_hangs() {
    use std::os::unix::net::UnixListener;
    let env = Env::new();
    env.write("in/empty.md", "");
    let seed = seed("001");
    std::fs::copy(&seed, env.path("in/digest.md")).expect("copy");
    let fifo = env.path("in/pipe.md");
    let made = StdCommand::new("mkfifo").arg(&fifo).status().expect("mkfifo (coreutils)");
    assert!(made.success());
    let _socket = UnixListener::bind(env.path("in/socket.md")).expect("socket");
    std::os::unix::fs::symlink("/dev/null", env.path("in/null.md")).expect("symlink");
    std::os::unix::fs::symlink("loop.md", env.path("in/loop.md")).expect("symlink");
    std::os::unix::fs::symlink(".", env.path("in/up")).expect("symlink");

    for command in ["check", "ingest"] {
        let mut child = StdCommand::new(cargo_bin("digestlens"))
            .current_dir(env.path(""))
            .args([command, "in", "--store", "store"].iter().take(if command == "check" { 2 } else { 4 }))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let start = Instant::now();
        while child.try_wait().expect("poll").is_none() {
            if start.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("{command} hangs on special files");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = child.wait_with_output().expect("output");
        let all = format!("{}{}", stdout(&out), stderr(&out));
        assert_eq!(out.status.code(), Some(1), "{command}: finished with warnings: {all}");
        assert!(!all.contains("panicked"), "{all}");
        for (file, says) in [
            ("in/pipe.md", "named pipe"),
            ("in/socket.md", "socket"),
            ("in/null.md", "device"),
            ("in/loop.md", "unreadable"),
            ("in/up", "unreadable"),
        ] {
            assert!(all.lines().any(|l| l.starts_with(file) && l.contains(says)), "{command}: {file}: {all}");
        }
        if command == "check" {
            assert!(
                all.contains("in/empty.md:0: warning unknown-format: skipped: not a digest (the file is empty)"),
                "{all}"
            );
            assert!(all.contains("in/digest.md: markdown"), "{all}");
        }
    }
    assert!(env.sql("store", "select count(*) as n from entries").contains('6'), "the good file was read");
}

/// The embedded sample archive (data/sample: 12 weeks, four formats) ingested into `store`.
fn sample_store() -> Env {
    let env = Env::new();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let out = env.run(&["ingest", "-q", "--store", "store", s(&sample)]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    env
}

#[test]
fn every_flag_that_selects_data_changes_what_its_command_prints() {
    let env = sample_store();
    let mut checked = 0;
    let cases: &[(&[&str], &[&str])] = &[
        (&["trends", "--top", "0", "--last", "0"], &["--since", "2025-10-01"]),
        (&["trends", "--top", "0", "--last", "0"], &["--until", "2025-10-15"]),
        (&["trends", "--last", "0"], &["--top", "3"]),
        (&["trends", "--top", "0"], &["--last", "1"]),
        (&["trends"], &["--origin", "extracted"]),
        (&["trends"], &["--kind", "themes"]),
        (&["trends"], &["--period", "month"]),
        (&["trends"], &["--window", "1"]),
        (&["trends"], &["--z", "0.5"]),
        (&["trends"], &["--prior", "5"]),
        (&["bursts", "--top", "0"], &["--since", "2025-11-01"]),
        (&["bursts", "--top", "0"], &["--until", "2025-09-20"]),
        (&["bursts", "--top", "0"], &["--top", "2"]),
        (&["bursts", "--top", "0"], &["--origin", "digest"]),
        (&["bursts", "--top", "0"], &["--kind", "keywords"]),
        (&["bursts", "--top", "0"], &["--period", "day"]),
        (&["bursts", "--top", "0"], &["--gamma", "0"]),
        (&["bursts", "--top", "0"], &["--s", "5"]),
        (&["bursts", "--top", "0"], &["--min-papers", "30"]),
        (&["themes", "--top", "0"], &["--since", "2025-11-01"]),
        (&["themes", "--top", "0"], &["--until", "2025-09-20"]),
        (&["themes", "--top", "0"], &["--top", "2"]),
        (&["themes", "--top", "0"], &["--period", "month"]),
        (&["themes", "--mapping", "--top", "0"], &["--since", "2025-11-01"]),
        (&["themes", "--mapping", "--top", "0"], &["--until", "2025-09-20"]),
        (&["themes", "--mapping", "--top", "0"], &["--top", "3"]),
        (&["keywords", "--top", "0"], &["--since", "2025-11-01"]),
        (&["keywords", "--top", "0"], &["--until", "2025-09-20"]),
        (&["keywords", "--top", "0"], &["--top", "3"]),
        (&["keywords", "--top", "0"], &["--origin", "digest"]),
        (&["keywords", "--clusters"], &["--origin", "digest"]),
        (&["keywords", "--clusters"], &["--cluster-top", "10"]),
        (&["keywords", "--clusters"], &["--since", "2025-11-01"]),
        (&["keywords", "--clusters"], &["--until", "2025-09-20"]),
        (&["trends", "--top", "0", "--last", "0"], &["--period", "quarter"]),
        (&["trends", "--top", "0", "--last", "0"], &["--since", "2025-Q4"]),
        (&["themes", "--top", "0"], &["--until", "2025-Q3"]),
        (&["bursts", "--top", "0"], &["--since", "2024", "--period", "year"]),
        (&["sql", "select count(*) from entries"], &["--json"]),
        (&["evolution", "--period", "month"], &["--since", "2025-10-01"]),
        (&["evolution", "--period", "month"], &["--until", "2025-10-31"]),
        (&["evolution"], &["--period", "month"]),
        (&["evolution", "--period", "month"], &["--min-inclusion", "0.9"]),
        (&["evolution", "--period", "month"], &["--origin", "digest"]),
        (&["papers", "--top", "0"], &["--since", "2025-11-01"]),
        (&["papers", "--top", "0"], &["--until", "2025-09-20"]),
        (&["papers"], &["--sort", "upvotes"]),
        (&["papers", "--top", "0"], &["--top", "3"]),
        (&["authors", "--top", "0"], &["--since", "2025-11-01"]),
        (&["authors", "--top", "0"], &["--until", "2025-09-20"]),
        (&["authors", "--top", "0"], &["--top", "3"]),
        (&["authors", "--top", "0"], &["--unit", "organization"]),
        (&["authors"], &["--by", "format"]),
        (&["trends"], &["--by", "format"]),
        (&["trends"], &["--weight", "upvotes"]),
        (&["themes"], &["--by", "format"]),
    ];
    for (base, flag) in cases {
        let mut args: Vec<&str> = base.to_vec();
        args.extend(["--store", "store", "--csv"].iter().filter(|a| !(**a == "--csv" && flag.contains(&"--json"))));
        let before = env.run(&args);
        // The flag replaces the base's value of it.
        if let Some(i) = args.iter().position(|a| *a == flag[0]) {
            args.drain(i..i + flag.len());
        }
        args.extend(flag.iter());
        let after = env.run(&args);
        assert!(before.status.success() && after.status.success(), "{args:?}: {}", stderr(&after));
        assert_ne!(stdout(&before), stdout(&after), "{base:?}: {flag:?} changes nothing");
        checked += 1;
    }
    // Charts: the drawn SVG changes.
    for flag in [
        &["--since", "2025-10-15"][..],
        &["--until", "2025-10-15"],
        &["--top", "3"],
        &["--origin", "digest"],
        &["--period", "month"],
    ] {
        for kind in ["trends", "top", "themes", "map"]
            .into_iter()
            .filter(|k| !(*k == "themes" && flag[0] == "--origin"))
            .filter(|k| !(*k == "map" && matches!(flag[0], "--top" | "--period")))
        {
            let before = env.run(&["chart", kind, "--store", "store", "--out", "before.svg"]);
            let mut args = vec!["chart", kind, "--store", "store", "--out", "after.svg"];
            args.extend(flag.iter());
            let after = env.run(&args);
            assert!(before.status.success() && after.status.success(), "{args:?}: {}", stderr(&after));
            let read = |f: &str| std::fs::read(env.path(f)).expect("chart");
            // The top chart shows the range's latest period, which --since leaves as it is here.
            // The map draws every cluster of the range whatever the keywords' origin (here).
            if !(kind == "top" && flag[0] == "--since" || kind == "map" && flag[0] == "--origin") {
                assert!(read("before.svg") != read("after.svg"), "chart {kind}: {flag:?} changes nothing");
                checked += 1;
            }
        }
    }
    // network: the range, --top and --min-edge change the file written.
    let write = |extra: &[&str]| {
        let mut args = vec!["network", "coword", "--store", "store", "--out", "net.graphml"];
        args.extend(extra);
        let out = env.run(&args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        std::fs::read(env.path("net.graphml")).expect("network")
    };
    let whole = write(&[]);
    for extra in [
        &["--since", "2025-11-01"][..],
        &["--until", "2025-09-20"],
        &["--top", "5"],
        &["--min-edge", "3"],
        &["--origin", "digest"],
    ] {
        assert!(write(extra) != whole, "network {extra:?} changes nothing");
        checked += 1;
    }
    // check --format, export --tables, report --week: what they read or write changes.
    let site = corpus().join("site");
    let detected = env.run(&["check", s(&site)]);
    let forced = env.run(&["check", s(&site), "--format", "generic"]);
    assert!(stdout(&detected).contains(": markdown,") && !stdout(&forced).contains(": markdown,"));
    let out = env.run(&["export", "--store", "store", "--to", "some", "--tables", "entries,papers"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let written: BTreeSet<String> = std::fs::read_dir(env.path("some"))
        .expect("export")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert_eq!(written, BTreeSet::from(["entries.csv".to_owned(), "papers.csv".to_owned()]));
    let out = env.run(&["report", "--store", "store", "--week", "2025-W40", "--out", "week"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(env.path("week/2025-W40.html").is_file() && !env.path("week/2025-W47.html").exists());
    assert!(checked > 40);
}

#[test]
fn flags_that_do_not_apply_are_refused_with_a_message() {
    let env = sample_store();
    let cases: &[&[&str]] = &[
        &["keywords", "--clusters", "--top", "3"],
        &["keywords", "--explain", "llm", "--since", "2025-10-01"],
        &["keywords", "--explain", "llm", "--origin", "digest"],
        &["keywords", "--period", "month"],
        &["themes", "--mapping", "--origin", "digest"],
        &["themes", "--mapping", "--period", "month"],
        &["themes", "--origin", "digest"],
        &["trends", "--kind", "themes", "--origin", "digest"],
        &["bursts", "--kind", "themes", "--origin", "extracted"],
        &["chart", "themes", "--out", "map.svg", "--origin", "digest"],
        &["chart", "map", "--out", "map.svg", "--period", "month"],
        &["chart", "map", "--out", "map.svg", "--top", "3"],
        &["check", "in", "--json", "--csv"],
    ];
    for case in cases {
        let mut args = case.to_vec();
        if case[0] != "check" {
            args.extend(["--store", "store"]);
        }
        let out = env.run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?} is refused: {}", stderr(&out));
        let err = stderr(&out);
        let flag = case.iter().rev().find(|a| a.starts_with("--")).copied().unwrap_or_default();
        assert!(err.contains(flag), "{args:?}: the message names {flag}: {err}");
        assert!(!env.path("map.svg").exists());
    }
}
