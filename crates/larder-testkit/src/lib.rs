//! Test helpers for the larder workspace: a throwaway PostgreSQL cluster per
//! test process and a fresh, empty database per test.
//!
//! # Usage
//!
//! ```no_run
//! #[test]
//! fn stores_things_in_postgres() {
//!     // `None` means PostgreSQL is not installed and we are not in CI: skip.
//!     let Some(url) = larder_testkit::postgres_database() else {
//!         eprintln!("PostgreSQL unavailable; skipping");
//!         return;
//!     };
//!     // `url` looks like `postgres://larder@127.0.0.1:PORT/t_...` and names a
//!     // brand-new empty database owned by the `larder` superuser.
//!     // Connect with sqlx (or anything else) and run migrations.
//!     # let _ = url;
//! }
//! ```
//!
//! The first call in a test process starts a private cluster:
//!
//! * binaries: `initdb`/`pg_ctl` found on `PATH` (symlinks are resolved, so
//!   `/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb` works), else
//!   the newest `/usr/lib/postgresql/<version>/bin/`;
//! * a new temp directory holding the data directory, the Unix socket and the
//!   server log, on a free loopback port (`listen_addresses = '127.0.0.1'`),
//!   with durability switched off (`fsync`, `synchronous_commit`,
//!   `full_page_writes`) and `max_connections = 200`;
//! * authentication `trust`, superuser `larder`, encoding UTF8, locale C;
//! * when the tests run as root (`initdb` refuses root), `initdb` and `pg_ctl`
//!   run via `runuser -u postgres --` and the temp directory is given to the
//!   `postgres` user.
//!
//! Every call then creates a new database (`psql`, or `createdb` when no
//! `psql` is found) and returns its URL. Starting the cluster takes about a
//! second; each further database takes a few tens of milliseconds.
//!
//! Statics are never dropped, so the cluster is stopped by a detached watchdog
//! shell process that polls the test process id and, once the process has
//! exited, runs `pg_ctl stop -m immediate` and deletes the temp directory.
//! Several test binaries may run at once (e.g. under nextest): each gets its
//! own cluster, port and directory.
//!
//! # Environment
//!
//! * `CI=true` or `LARDER_REQUIRE_POSTGRES=1`: PostgreSQL is mandatory. If the
//!   cluster cannot be started, [`postgres_database`] panics with the reason
//!   (missing `initdb`, `initdb` output, the tail of the server log, ...)
//!   instead of returning `None`.
//! * `LARDER_TEST_POSTGRES_URL`: URL of an existing server, e.g.
//!   `postgres://user:pass@host:5432/postgres`, whose user may
//!   `CREATE DATABASE`. No cluster is started; databases are created there
//!   (the URL's database, or `postgres` if it names none, is used to connect
//!   for that) and are **not** dropped afterwards. A `psql` or `createdb`
//!   binary is still needed. If that server cannot be used, the call panics.
//! * `TMPDIR`: where the cluster directory goes. When unset, `/dev/shm` is
//!   used if it has at least 1 GiB free (a tmpfs makes `initdb` ~3x and
//!   `CREATE DATABASE` ~15x faster than a slow disk; each database takes
//!   ~7.5 MB of RAM there), else `/tmp`.
//! * `LARDER_TESTKIT_VERBOSE` (any value): print to stderr where the cluster
//!   was started and how long starting it and creating each database took.

use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader};
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Superuser created by `initdb` in the private cluster.
const SUPERUSER: &str = "larder";
/// Where Debian/Ubuntu install versioned PostgreSQL binaries.
const VERSIONED_ROOT: &str = "/usr/lib/postgresql";
/// OS user that owns the cluster when the tests run as root.
const ROOT_RUN_AS: &str = "postgres";
/// Preferred base for the cluster directory when `TMPDIR` is unset.
const SHM_DIR: &str = "/dev/shm";
/// Minimum free space for using [`SHM_DIR`] (1 GiB).
const SHM_MIN_FREE_KIB: u64 = 1024 * 1024;
/// Attempts at starting the server, each on a freshly picked port (another
/// process may grab the port between our probe and the server's bind).
const START_ATTEMPTS: usize = 3;

/// Returns a connection URL to a brand-new empty database, e.g.
/// `postgres://larder@127.0.0.1:PORT/t_<unique>`.
///
/// The first call starts the per-process cluster (see the crate docs); it is
/// safe to call from many test threads at once.
///
/// Returns `None` when PostgreSQL is unavailable and neither `CI=true` nor
/// `LARDER_REQUIRE_POSTGRES=1` is set.
///
/// # Panics
///
/// * PostgreSQL is unavailable and `CI=true` / `LARDER_REQUIRE_POSTGRES=1`
///   (the message says what failed);
/// * `LARDER_TEST_POSTGRES_URL` is set and the database cannot be created
///   there;
/// * creating the database on a running cluster fails.
pub fn postgres_database() -> Option<String> {
    static SERVER: OnceLock<Result<Server, String>> = OnceLock::new();
    let env = Env::from_process();
    let server = SERVER.get_or_init(|| resolve_server(&env));
    database_on(server, env.required)
}

/// A name unique within this machine for the lifetime of the process and
/// across processes: `<prefix>_<pid>_<random>_<counter>`, lowercase ASCII
/// letters, digits and `_` after `prefix`, so a lowercase `prefix` gives a
/// valid unquoted SQL identifier. Keep `prefix` short if the name must fit
/// PostgreSQL's 63-byte identifier limit (the suffix is at most ~30 bytes).
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    // 32 bits the OS seeds (std's randomly keyed hasher): a pid reused by a
    // later process does not reuse its names. Never the clock, which tests
    // may fake.
    let salt = {
        use std::hash::{BuildHasher, Hasher};
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(n);
        h.finish() >> 32
    };
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        base36(u128::from(salt)),
        base36(u128::from(n))
    )
}

fn base36(mut n: u128) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Everything read from the process environment, injectable for tests.
#[derive(Debug, Clone)]
struct Env {
    /// Panic instead of returning `None` when PostgreSQL is unavailable.
    required: bool,
    /// `LARDER_TEST_POSTGRES_URL`.
    external_url: Option<String>,
    /// `PATH`.
    path: Option<OsString>,
    /// Directory with `<version>/bin/` subdirectories.
    versioned_root: PathBuf,
}

impl Env {
    fn from_process() -> Self {
        Self {
            required: is_required(
                std::env::var("CI").ok().as_deref(),
                std::env::var("LARDER_REQUIRE_POSTGRES").ok().as_deref(),
            ),
            external_url: std::env::var("LARDER_TEST_POSTGRES_URL")
                .ok()
                .filter(|s| !s.trim().is_empty()),
            path: std::env::var_os("PATH"),
            versioned_root: PathBuf::from(VERSIONED_ROOT),
        }
    }
}

fn is_required(ci: Option<&str>, require: Option<&str>) -> bool {
    let ci = ci.is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let require = require.is_some_and(|v| matches!(v.trim(), "1" | "true" | "yes"));
    ci || require
}

/// A server we can create databases on.
#[derive(Debug)]
struct Server {
    /// `scheme://authority` of the URLs handed out, without a trailing `/`.
    base: String,
    /// `?query` suffix (may be empty) appended to the URLs handed out.
    query: String,
    /// URL used to run `CREATE DATABASE`.
    admin_url: String,
    creator: DbCreator,
    /// Whether a failure here is a configuration error even outside CI.
    external: bool,
    /// Create databases with `STRATEGY = FILE_COPY` (PostgreSQL 15+). With
    /// `fsync = off` this is ~1.5-2x faster than the default `WAL_LOG`.
    file_copy: bool,
}

#[derive(Debug)]
enum DbCreator {
    Psql(PathBuf),
    Createdb(PathBuf),
}

fn database_on(server: &Result<Server, String>, required: bool) -> Option<String> {
    let server = match server {
        Ok(server) => server,
        Err(reason) if required => panic!(
            "larder-testkit: PostgreSQL is required (CI=true or LARDER_REQUIRE_POSTGRES=1) \
             but unavailable: {reason}"
        ),
        Err(reason) => {
            static NOTED: OnceLock<()> = OnceLock::new();
            NOTED.get_or_init(|| {
                eprintln!(
                    "larder-testkit: PostgreSQL unavailable, skipping PostgreSQL tests: {reason}"
                );
            });
            return None;
        }
    };
    let name = unique_name("t");
    let started = Instant::now();
    let created = create_database(server, &name);
    if std::env::var_os("LARDER_TESTKIT_VERBOSE").is_some() {
        eprintln!(
            "larder-testkit: CREATE DATABASE {name} took {} ms",
            started.elapsed().as_millis()
        );
    }
    if let Err(e) = created {
        let source = if server.external {
            "LARDER_TEST_POSTGRES_URL server"
        } else {
            "the test cluster"
        };
        panic!("larder-testkit: could not create database {name} on {source}: {e}");
    }
    Some(format!("{}/{name}{}", server.base, server.query))
}

fn create_database(server: &Server, name: &str) -> Result<(), String> {
    let mut cmd = match &server.creator {
        DbCreator::Psql(psql) => {
            let mut cmd = Command::new(psql);
            cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"])
                .arg(&server.admin_url)
                .arg("-c")
                .arg(format!(
                    "CREATE DATABASE \"{name}\"{}",
                    if server.file_copy {
                        " STRATEGY = FILE_COPY"
                    } else {
                        ""
                    }
                ));
            cmd
        }
        DbCreator::Createdb(createdb) => {
            let mut cmd = Command::new(createdb);
            cmd.arg(format!("--maintenance-db={}", server.admin_url));
            if server.file_copy {
                cmd.arg("--strategy=file_copy");
            }
            cmd.arg(name);
            cmd
        }
    };
    cmd.stdin(Stdio::null());
    run(&mut cmd).map(drop)
}

fn resolve_server(env: &Env) -> Result<Server, String> {
    match &env.external_url {
        Some(url) => Ok(external_server(url, env).unwrap_or_else(|e| {
            panic!("larder-testkit: LARDER_TEST_POSTGRES_URL={url:?} is unusable: {e}")
        })),
        None => start_cluster(env),
    }
}

fn external_server(url: &str, env: &Env) -> Result<Server, String> {
    let parts = split_url(url)?;
    let bins = find_bins(env.path.as_deref(), &env.versioned_root);
    let creator = match bins {
        Ok(bins) => bins.creator()?,
        // The server binaries are not needed here, only a client.
        Err(_) => client_only_creator(env.path.as_deref())?,
    };
    let db = if parts.database.is_empty() {
        "postgres"
    } else {
        parts.database
    };
    Ok(Server {
        base: parts.base.to_owned(),
        query: parts.query.to_owned(),
        admin_url: format!("{}/{db}{}", parts.base, parts.query),
        creator,
        external: true,
        file_copy: false,
    })
}

#[derive(Debug, PartialEq, Eq)]
struct UrlParts<'a> {
    /// `scheme://authority`.
    base: &'a str,
    /// Database name (may be empty).
    database: &'a str,
    /// `?...` including the `?`, or empty.
    query: &'a str,
}

fn split_url(url: &str) -> Result<UrlParts<'_>, String> {
    let url = url.trim();
    let scheme_end = url
        .find("://")
        .ok_or_else(|| "expected postgres://user@host:port[/db]".to_owned())?;
    let scheme = &url[..scheme_end];
    if scheme != "postgres" && scheme != "postgresql" {
        return Err(format!("unsupported scheme {scheme:?}"));
    }
    let (before_query, query) = url.split_at(url.find('?').unwrap_or(url.len()));
    let rest_start = scheme_end + 3;
    let (base, database) = match before_query[rest_start..].find('/') {
        Some(i) => (
            &before_query[..rest_start + i],
            &before_query[rest_start + i + 1..],
        ),
        None => (before_query, ""),
    };
    Ok(UrlParts {
        base,
        database,
        query,
    })
}

/// The PostgreSQL programs this crate runs.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PgBins {
    initdb: PathBuf,
    pg_ctl: PathBuf,
    psql: Option<PathBuf>,
    createdb: Option<PathBuf>,
}

impl PgBins {
    fn creator(&self) -> Result<DbCreator, String> {
        match (&self.psql, &self.createdb) {
            (Some(psql), _) => Ok(DbCreator::Psql(psql.clone())),
            (None, Some(createdb)) => Ok(DbCreator::Createdb(createdb.clone())),
            (None, None) => Err(format!(
                "neither psql nor createdb found (next to {} or on PATH)",
                self.initdb.display()
            )),
        }
    }
}

fn client_only_creator(path: Option<&OsStr>) -> Result<DbCreator, String> {
    if let Some(psql) = search_path(path, "psql") {
        Ok(DbCreator::Psql(psql))
    } else if let Some(createdb) = search_path(path, "createdb") {
        Ok(DbCreator::Createdb(createdb))
    } else {
        Err("neither psql nor createdb found on PATH".to_owned())
    }
}

/// Finds `initdb` and `pg_ctl`: on `path` first (resolving symlinks so the
/// real bin directory is used), else in the newest `<root>/<version>/bin/`.
/// `psql`/`createdb` are looked up next to `initdb`, then on `path`.
fn find_bins(path: Option<&OsStr>, versioned_root: &Path) -> Result<PgBins, String> {
    let (initdb, bin_dir) = if let Some(initdb) = search_path(path, "initdb") {
        let real = std::fs::canonicalize(&initdb).unwrap_or_else(|_| initdb.clone());
        let dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
        (initdb, dir)
    } else if let Some(dir) = newest_versioned_bin(versioned_root) {
        (dir.join("initdb"), dir)
    } else {
        return Err(format!(
            "initdb not found on PATH nor in {}/<version>/bin/ \
             (install PostgreSQL server binaries, e.g. apt-get install postgresql)",
            versioned_root.display()
        ));
    };
    let beside = |name: &str| Some(bin_dir.join(name)).filter(|p| is_executable(p));
    let pg_ctl = beside("pg_ctl")
        .or_else(|| search_path(path, "pg_ctl"))
        .ok_or_else(|| format!("pg_ctl not found in {} nor on PATH", bin_dir.display()))?;
    Ok(PgBins {
        psql: beside("psql").or_else(|| search_path(path, "psql")),
        createdb: beside("createdb").or_else(|| search_path(path, "createdb")),
        initdb,
        pg_ctl,
    })
}

fn search_path(path: Option<&OsStr>, name: &str) -> Option<PathBuf> {
    std::env::split_paths(path?)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn newest_versioned_bin(root: &Path) -> Option<PathBuf> {
    std::fs::read_dir(root)
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = parse_version(entry.file_name().to_str()?)?;
            let bin = entry.path().join("bin");
            is_executable(&bin.join("initdb")).then_some((version, bin))
        })
        .max()
        .map(|(_, bin)| bin)
}

/// `"15"` -> `[15]`, `"9.6"` -> `[9, 6]`; anything else -> `None`.
fn parse_version(name: &str) -> Option<Vec<u32>> {
    name.split('.').map(|part| part.parse().ok()).collect()
}

/// Major version from `pg_ctl --version` ("pg_ctl (PostgreSQL) 15.13 (...)").
fn major_version(program: &Path) -> Option<u32> {
    let output = Command::new(program)
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .ok()?;
    parse_major_version(&String::from_utf8_lossy(&output.stdout))
}

fn parse_major_version(version_output: &str) -> Option<u32> {
    let (_, rest) = version_output.split_once("(PostgreSQL) ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn is_executable(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Runs a command, returning its output or an error naming the command and
/// showing its output.
fn run(cmd: &mut Command) -> Result<Output, String> {
    let shown = format!("{cmd:?}");
    let output = cmd
        .output()
        .map_err(|e| format!("could not run {shown}: {e}"))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!(
            "{shown} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// How PostgreSQL server programs are invoked.
#[derive(Debug, Clone)]
struct Runner {
    /// `Some(user)` when running as root: wrap in `runuser -u user --`.
    as_user: Option<&'static str>,
    /// Working directory (the cluster's root dir, readable by the user).
    cwd: PathBuf,
}

impl Runner {
    fn command(&self, program: &Path) -> Command {
        let mut cmd = match self.as_user {
            Some(user) => {
                let mut cmd = Command::new("runuser");
                cmd.args(["-u", user, "--"]).arg(program);
                cmd
            }
            None => Command::new(program),
        };
        cmd.current_dir(&self.cwd).stdin(Stdio::null());
        cmd
    }
}

fn start_cluster(env: &Env) -> Result<Server, String> {
    let started = Instant::now();
    let bins = find_bins(env.path.as_deref(), &env.versioned_root)?;
    let creator = bins.creator()?;
    let root_user = running_as_root().then_some(ROOT_RUN_AS);

    let tmp = tempfile::Builder::new()
        .prefix("larder-pg-")
        .tempdir_in(temp_base(root_user.is_some()))
        .map_err(|e| format!("could not create a temp dir: {e}"))?;
    let root = tmp.path().to_path_buf();
    let data = root.join("data");
    let log = root.join("log");
    if let Some(user) = root_user {
        run(Command::new("chown")
            .arg("-R")
            .arg(format!("{user}:"))
            .arg(&root))?;
    }
    let runner = Runner {
        as_user: root_user,
        cwd: root.clone(),
    };

    run(runner
        .command(&bins.initdb)
        .arg("-D")
        .arg(&data)
        .args(["-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--no-locale"])
        // Durability is pointless for a throwaway cluster; saves ~1 s.
        .arg("--no-sync"))
    .map_err(|e| format!("initdb failed: {e}"))?;
    append_settings(&data.join("postgresql.conf"), &root)?;
    let initdb_done = started.elapsed();

    let mut port = 0;
    let mut last_error = String::new();
    for _ in 0..START_ATTEMPTS {
        port = free_port()?;
        let attempt = run(runner
            .command(&bins.pg_ctl)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(&log)
            .arg("-o")
            .arg(format!("-p {port}"))
            .args(["-w", "-t", "60", "start"])
            // Keep the postmaster out of the test's process group so a
            // terminal Ctrl-C reaches the watchdog's cleanup path instead.
            .process_group(0));
        match attempt {
            Ok(_) => {
                last_error.clear();
                break;
            }
            Err(e) => {
                last_error = format!("{e}\nserver log ({}):\n{}", log.display(), tail(&log, 30));
                // Stop a half-started server before retrying (ignore errors).
                let _ = runner
                    .command(&bins.pg_ctl)
                    .arg("-D")
                    .arg(&data)
                    .args(["stop", "-m", "immediate"])
                    .output();
            }
        }
    }
    if !last_error.is_empty() {
        return Err(format!("pg_ctl start failed: {last_error}"));
    }

    if let Err(e) = spawn_watchdog(&bins.pg_ctl, &data, &root, root_user) {
        let _ = runner
            .command(&bins.pg_ctl)
            .arg("-D")
            .arg(&data)
            .args(["stop", "-m", "immediate"])
            .output();
        return Err(format!("could not spawn the cleanup watchdog: {e}"));
    }
    // From now on the watchdog owns the directory.
    let _ = tmp.keep();

    let base = format!("postgres://{SUPERUSER}@127.0.0.1:{port}");
    let server = Server {
        admin_url: format!("{base}/postgres"),
        base,
        query: String::new(),
        creator,
        external: false,
        file_copy: major_version(&bins.pg_ctl).is_some_and(|v| v >= 15),
    };
    if std::env::var_os("LARDER_TESTKIT_VERBOSE").is_some() {
        eprintln!(
            "larder-testkit: started PostgreSQL at {} in {} ms (initdb {} ms) in {}",
            server.base,
            started.elapsed().as_millis(),
            initdb_done.as_millis(),
            root.display()
        );
    }
    Ok(server)
}

/// The directory to create the cluster's temp dir in: `$TMPDIR` if set, else
/// `/dev/shm` if it is a tmpfs with room, else the system temp dir.
///
/// A tmpfs makes a big difference on slow disks: on the development VM
/// (ext4 on virtio) `initdb` takes ~1.4 s and `CREATE DATABASE` ~250 ms on
/// disk, versus ~0.5 s and ~15 ms on tmpfs. Each database costs ~7.5 MB of
/// RAM there, hence the free-space check (Docker's default 64 MB `/dev/shm`
/// is skipped).
///
/// As root, the `postgres` user must be able to traverse the directory; fall
/// back to `/tmp` if it cannot (e.g. `TMPDIR` under `/root`).
fn temp_base(as_root: bool) -> PathBuf {
    let shm = Path::new(SHM_DIR);
    let base = if std::env::var_os("TMPDIR").is_some() {
        std::env::temp_dir()
    } else if available_kib(shm).is_some_and(|kib| kib >= SHM_MIN_FREE_KIB) {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    if !as_root {
        return base;
    }
    let traversable = base
        .ancestors()
        .all(|dir| std::fs::metadata(dir).is_ok_and(|m| m.permissions().mode() & 0o001 != 0));
    if traversable {
        base
    } else {
        PathBuf::from("/tmp")
    }
}

/// Free space of the filesystem holding `dir`, via `df -Pk` (std has no
/// `statvfs` and this crate has no libc).
fn available_kib(dir: &Path) -> Option<u64> {
    if !dir.is_dir() {
        return None;
    }
    let output = Command::new("df")
        .arg("-Pk")
        .arg(dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    parse_df_available(&String::from_utf8_lossy(&output.stdout))
}

/// The "Available" column of the data line of `df -P` output.
fn parse_df_available(df_output: &str) -> Option<u64> {
    df_output
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()
}

fn append_settings(conf: &Path, socket_dir: &Path) -> Result<(), String> {
    let socket_dir = socket_dir.to_string_lossy().replace('\'', "''");
    let mut settings = String::from("\n# larder-testkit: throwaway test cluster\n");
    for (key, value) in [
        ("listen_addresses", "'127.0.0.1'"),
        ("unix_socket_directories", &format!("'{socket_dir}'")),
        ("fsync", "off"),
        ("synchronous_commit", "off"),
        ("full_page_writes", "off"),
        ("max_connections", "200"),
    ] {
        let _ = writeln!(settings, "{key} = {value}");
    }
    // Appending keeps the file's owner (the postgres user when root).
    use std::io::Write as _;
    std::fs::OpenOptions::new()
        .append(true)
        .open(conf)
        .and_then(|mut f| f.write_all(settings.as_bytes()))
        .map_err(|e| format!("could not write {}: {e}", conf.display()))
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("could not pick a free loopback port: {e}"))
}

fn tail(path: &Path, lines: usize) -> String {
    let Ok(file) = std::fs::File::open(path) else {
        return format!("(no log at {})", path.display());
    };
    let all: Vec<String> = BufReader::new(file).lines().map_while(Result::ok).collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Spawns a detached shell that waits for this process to exit, then stops
/// the cluster and removes its directory.
fn spawn_watchdog(
    pg_ctl: &Path,
    data: &Path,
    root: &Path,
    as_user: Option<&str>,
) -> std::io::Result<()> {
    const SCRIPT: &str = r#"
pid=$1 pg_ctl=$2 data=$3 root=$4 as_user=$5
while kill -0 "$pid" 2>/dev/null; do sleep 1; done
if [ -n "$as_user" ]; then
    runuser -u "$as_user" -- "$pg_ctl" -D "$data" stop -m immediate
else
    "$pg_ctl" -D "$data" stop -m immediate
fi
rm -rf "$root"
"#;
    Command::new("sh")
        .arg("-c")
        .arg(SCRIPT)
        .arg("larder-testkit-watchdog")
        .arg(std::process::id().to_string())
        .arg(pg_ctl)
        .arg(data)
        .arg(root)
        .arg(as_user.unwrap_or(""))
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // Own process group: survives a Ctrl-C sent to the test's group.
        .process_group(0)
        .spawn()
        .map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn make_exe(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    fn env_without_postgres(required: bool) -> (Env, tempfile::TempDir) {
        let empty = tempfile::tempdir().unwrap();
        let env = Env {
            required,
            external_url: None,
            path: Some(OsString::new()),
            versioned_root: empty.path().join("missing"),
        };
        (env, empty)
    }

    #[test]
    fn required_only_for_ci_true_or_explicit_opt_in() {
        assert!(!is_required(None, None));
        assert!(!is_required(Some("false"), None));
        assert!(!is_required(Some(""), Some("0")));
        assert!(is_required(Some("true"), None));
        assert!(is_required(Some("TRUE"), None));
        assert!(is_required(None, Some("1")));
    }

    #[test]
    fn no_binaries_found_with_empty_path_and_no_versioned_root() {
        let (env, _dir) = env_without_postgres(false);
        let err = find_bins(env.path.as_deref(), &env.versioned_root).unwrap_err();
        assert!(err.contains("initdb not found"), "{err}");
    }

    #[test]
    fn unavailable_postgres_is_skipped_outside_ci() {
        let (env, _dir) = env_without_postgres(false);
        let server = resolve_server(&env);
        assert!(server.is_err());
        assert_eq!(database_on(&server, env.required), None);
    }

    #[test]
    #[should_panic(expected = "initdb not found")]
    fn unavailable_postgres_panics_in_ci() {
        let (env, _dir) = env_without_postgres(true);
        let server = resolve_server(&env);
        database_on(&server, env.required);
    }

    #[test]
    fn newest_versioned_bin_dir_wins() {
        let root = tempfile::tempdir().unwrap();
        for v in ["9.6", "13", "15", "16"] {
            make_exe(&root.path().join(v).join("bin/initdb"));
            make_exe(&root.path().join(v).join("bin/pg_ctl"));
        }
        // No initdb in 17: ignored. Non-version names: ignored.
        std::fs::create_dir_all(root.path().join("17/bin")).unwrap();
        make_exe(&root.path().join("latest/bin/initdb"));
        make_exe(&root.path().join("16/bin/psql"));
        let bins = find_bins(Some(OsStr::new("")), root.path()).unwrap();
        let bin16 = root.path().join("16/bin");
        assert_eq!(bins.initdb, bin16.join("initdb"));
        assert_eq!(bins.pg_ctl, bin16.join("pg_ctl"));
        assert_eq!(bins.psql, Some(bin16.join("psql")));
        assert_eq!(bins.createdb, None);
    }

    #[test]
    fn path_wins_and_symlinks_are_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("pg/bin");
        make_exe(&real.join("initdb"));
        make_exe(&real.join("pg_ctl"));
        make_exe(&real.join("createdb"));
        let on_path = dir.path().join("local/bin");
        std::fs::create_dir_all(&on_path).unwrap();
        std::os::unix::fs::symlink(real.join("initdb"), on_path.join("initdb")).unwrap();
        let other = dir.path().join("versioned");
        make_exe(&other.join("99/bin/initdb"));
        make_exe(&other.join("99/bin/pg_ctl"));

        let path = std::env::join_paths([dir.path().join("nothing"), on_path.clone()]).unwrap();
        let bins = find_bins(Some(&path), &other).unwrap();
        assert_eq!(bins.initdb, on_path.join("initdb"));
        let real = std::fs::canonicalize(&real).unwrap();
        assert_eq!(bins.pg_ctl, real.join("pg_ctl"));
        assert_eq!(bins.psql, None);
        assert_eq!(bins.createdb, Some(real.join("createdb")));
        assert!(matches!(bins.creator(), Ok(DbCreator::Createdb(_))));
    }

    #[test]
    fn non_executable_files_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("initdb"), "").unwrap();
        assert_eq!(search_path(Some(dir.path().as_os_str()), "initdb"), None);
    }

    #[test]
    fn versions_parse_numerically() {
        assert_eq!(parse_version("15"), Some(vec![15]));
        assert_eq!(parse_version("9.6"), Some(vec![9, 6]));
        assert_eq!(parse_version("main"), None);
        assert!(parse_version("9.6") < parse_version("10"));
    }

    #[test]
    fn urls_split_into_base_database_and_query() {
        assert_eq!(
            split_url("postgres://u:p@h:5432/db?sslmode=disable").unwrap(),
            UrlParts {
                base: "postgres://u:p@h:5432",
                database: "db",
                query: "?sslmode=disable"
            }
        );
        assert_eq!(
            split_url("postgresql://h").unwrap(),
            UrlParts {
                base: "postgresql://h",
                database: "",
                query: ""
            }
        );
        assert_eq!(split_url("postgres://h/").unwrap().database, "");
        assert!(split_url("mysql://h/db").is_err());
        assert!(split_url("h:5432").is_err());
    }

    #[test]
    fn external_server_urls() {
        let dir = tempfile::tempdir().unwrap();
        make_exe(&dir.path().join("psql"));
        let env = Env {
            required: false,
            external_url: None,
            path: Some(dir.path().as_os_str().to_owned()),
            versioned_root: dir.path().join("missing"),
        };
        let server = external_server("postgres://u@h:1?sslmode=disable", &env).unwrap();
        assert_eq!(
            server.admin_url,
            "postgres://u@h:1/postgres?sslmode=disable"
        );
        assert_eq!(server.base, "postgres://u@h:1");
        assert!(matches!(server.creator, DbCreator::Psql(_)));
        let server = external_server("postgres://u@h:1/admin", &env).unwrap();
        assert_eq!(server.admin_url, "postgres://u@h:1/admin");
    }

    #[test]
    fn unique_names_are_unique_lowercase_identifiers() {
        let names: std::collections::HashSet<_> = (0..1000).map(|_| unique_name("t")).collect();
        assert_eq!(names.len(), 1000);
        for name in &names {
            assert!(name.len() < 63, "{name}");
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{name}"
            );
        }
    }

    #[test]
    fn major_versions_parse() {
        let parse = parse_major_version;
        assert_eq!(
            parse("pg_ctl (PostgreSQL) 15.13 (Debian 15.13-0+deb12u1)\n"),
            Some(15)
        );
        assert_eq!(parse("pg_ctl (PostgreSQL) 17beta1\n"), Some(17));
        assert_eq!(parse("pg_ctl (PostgreSQL) 9.6.24\n"), Some(9));
        assert_eq!(parse("garbage"), None);
    }

    #[test]
    fn df_output_parses() {
        let out = "Filesystem     1024-blocks  Used Available Capacity Mounted on\n\
                   tmpfs             24683656     0  24683656       0% /dev/shm\n";
        assert_eq!(parse_df_available(out), Some(24_683_656));
        assert_eq!(parse_df_available("Filesystem\n"), None);
    }

    #[test]
    fn base36_digits() {
        assert_eq!(base36(0), "0");
        assert_eq!(base36(35), "z");
        assert_eq!(base36(36), "10");
    }
}
