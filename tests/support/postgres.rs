//! A throwaway PostgreSQL server for the tests: one per test process, started on first use.
//!
//! With `SGQUIZ_TEST_POSTGRES` set to the URL of a server whose role may `CREATE DATABASE`
//! (and `SGQUIZ_TEST_POSTGRES_CA` to its CA certificate, for the TLS tests), that server is
//! used. Otherwise PostgreSQL's own programs (`/usr/lib/postgresql/*/bin/`, the highest version,
//! else `initdb` on `PATH`) make a new cluster in a folder under `CARGO_TARGET_TMPDIR`: a
//! superuser with a random password (password login, scram-sha-256, over TCP on 127.0.0.1 at a
//! free port), TLS on with a certificate for `localhost` and `127.0.0.1` signed by a CA made
//! here (`ca_file()`), so that `sslmode=verify-full` can be tested. Run as root (as CI is), the
//! server runs as the `postgres` account that Debian's package makes, since `initdb` refuses
//! root.
//!
//! The server stops when the test process ends: an `atexit` handler stops it and removes its
//! folder, and a watchdog (a small `sh` loop started with it, in a session of its own) does the
//! same once the test process has gone, however it ended, so a killed run leaves nothing
//! running. Without PostgreSQL's programs the tests fail with a clear message; they never skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What to install when PostgreSQL is missing.
const MISSING: &str = "PostgreSQL's programs (initdb, pg_ctl, postgres, psql) were not found in \
     /usr/lib/postgresql/*/bin/ or on PATH: install PostgreSQL (scripts/test does, with Debian's \
     postgresql package) or set SGQUIZ_TEST_POSTGRES to the URL of a server whose role may \
     CREATE DATABASE";

/// The user the private clusters' superuser is called.
const USER: &str = "sgquiz_test";

/// A PostgreSQL server the tests may make databases on.
pub struct Cluster {
    /// The folder of PostgreSQL's programs.
    bin: PathBuf,
    host: String,
    port: u16,
    user: String,
    password: String,
    /// The database that administrative commands connect to.
    admin_db: String,
    /// The query part of the given URL, if any (an external server's `sslmode=…`).
    query: String,
    /// A cluster made here: its folder, data and log. `None` for an external server.
    own: Option<Own>,
    ca: Option<PathBuf>,
}

/// What a cluster made here has of its own.
struct Own {
    /// The folder everything is in; removed when the cluster is dropped or the process ends.
    dir: PathBuf,
    /// Run the server's programs as the `postgres` account (the tests run as root).
    as_postgres: bool,
}

/// The shared server of this test process.
pub fn server() -> &'static Cluster {
    static SERVER: OnceLock<Cluster> = OnceLock::new();
    SERVER.get_or_init(|| match std::env::var("SGQUIZ_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Cluster::external(&url),
        _ => Cluster::start_new("pg"),
    })
}

/// A new, empty database on the shared server, as a URL with the password in it:
/// `postgres://USER:PASSWORD@127.0.0.1:PORT/NAME`.
pub fn fresh_database() -> String {
    server().fresh_database()
}

/// The clusters to stop and folders to remove when the process ends (the atexit handler).
static TO_STOP: Mutex<Vec<(PathBuf, PathBuf, bool)>> = Mutex::new(Vec::new());
/// What to drop from an external server when the process ends: (psql's folder, the admin URL,
/// the SQL), run last first.
static MADE_EXTERNALLY: Mutex<Vec<(PathBuf, String, String)>> = Mutex::new(Vec::new());

extern "C" fn at_exit() {
    let clusters = std::mem::take(&mut *TO_STOP.lock().unwrap_or_else(|e| e.into_inner()));
    for (bin, dir, as_postgres) in clusters {
        stop_and_remove(&bin, &dir, as_postgres);
    }
    let made = std::mem::take(&mut *MADE_EXTERNALLY.lock().unwrap_or_else(|e| e.into_inner()));
    for (bin, admin_url, name) in made {
        let _ = psql_command(&bin, &admin_url)
            .args([
                "-c",
                &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            ])
            .output();
    }
}

fn register_at_exit() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        // SAFETY: `at_exit` is an `extern "C" fn()` that lives for the whole process.
        let registered = unsafe { libc::atexit(at_exit) };
        assert_eq!(registered, 0, "atexit registers the PostgreSQL clean-up");
    });
}

fn stop_and_remove(bin: &Path, dir: &Path, as_postgres: bool) {
    let data = dir.join("data");
    if data.join("postmaster.pid").exists() {
        let _ = server_program(bin, "pg_ctl", as_postgres)
            .arg("-D")
            .arg(&data)
            .args(["stop", "-m", "immediate", "-w", "-t", "30"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// One of the server's programs, run as the `postgres` account when the tests run as root.
fn server_program(bin: &Path, name: &str, as_postgres: bool) -> Command {
    let program = bin.join(name);
    let mut cmd = if as_postgres {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    };
    cmd.stdin(Stdio::null());
    // Run from a folder the postgres account may enter.
    cmd.current_dir("/");
    cmd
}

/// One of PostgreSQL's client programs, with none of the user's settings.
fn client_command(bin: &Path, program: &str) -> Command {
    let mut cmd = Command::new(bin.join(program));
    for var in [
        "PGPASSWORD",
        "PGPASSFILE",
        "PGSERVICE",
        "PGSSLMODE",
        "PGHOST",
        "PGPORT",
        "PGUSER",
        "PGDATABASE",
        "PGOPTIONS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("PGCONNECT_TIMEOUT", "20").stdin(Stdio::null());
    cmd
}

/// `psql` against `url`, quiet, unaligned, stopping at the first error.
fn psql_command(bin: &Path, url: &str) -> Command {
    let mut cmd = client_command(bin, "psql");
    cmd.args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url])
        .stdin(Stdio::null());
    cmd
}

/// The folder of PostgreSQL's programs: the highest version under /usr/lib/postgresql, else
/// where `initdb` on PATH really is.
fn find_binaries() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return bin;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let initdb = dir.join("initdb");
        if initdb.is_file() {
            let real = std::fs::canonicalize(&initdb).unwrap_or(initdb);
            return real.parent().expect("initdb is in a folder").to_path_buf();
        }
    }
    panic!("{MISSING}");
}

/// Where `psql` is, for a server found by URL: beside PostgreSQL's programs, else on PATH.
fn find_psql() -> PathBuf {
    let bin = std::panic::catch_unwind(find_binaries).ok();
    if let Some(bin) = bin.filter(|b| b.join("psql").is_file()) {
        return bin;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .find(|d| d.join("psql").is_file())
        .unwrap_or_else(|| panic!("psql was not found. {MISSING}"))
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A random string of letters and digits.
fn random_text(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = vec![0u8; len];
    getrandom::fill(&mut bytes).expect("random bytes");
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

/// A port on 127.0.0.1 that nothing listens on just now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// Writes `text` to `path`, readable by its owner only.
fn write_private(path: &Path, text: &str) {
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
}

/// A CA certificate (PEM), and a server certificate for `localhost` and `127.0.0.1` signed by
/// it with its key (both PEM).
fn certificates() -> (String, String, String) {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    let ca_key = KeyPair::generate().expect("a CA key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "sgquiz tests' throwaway CA");
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let ca_cert = ca.self_signed(&ca_key).expect("the CA certificate");
    let issuer = Issuer::new(ca, ca_key);

    let server_key = KeyPair::generate().expect("a server key");
    let mut server =
        CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    server
        .distinguished_name
        .push(DnType::CommonName, "localhost");
    server.is_ca = IsCa::ExplicitNoCa;
    server.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    server.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let server_cert = server
        .signed_by(&server_key, &issuer)
        .expect("the server certificate");
    (ca_cert.pem(), server_cert.pem(), server_key.serialize_pem())
}

impl Cluster {
    /// A server found by URL (`SGQUIZ_TEST_POSTGRES`).
    fn external(url: &str) -> Cluster {
        let bad = || -> ! {
            panic!(
                "SGQUIZ_TEST_POSTGRES is not a URL such as \
                 postgres://USER:PASSWORD@HOST:PORT/DB"
            )
        };
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .unwrap_or_else(|| bad());
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, db) = rest.split_once('/').unwrap_or((rest, "postgres"));
        let (credentials, address) = authority.rsplit_once('@').unwrap_or_else(|| bad());
        let (user, password) = credentials.split_once(':').unwrap_or((credentials, ""));
        let (host, port) = match address.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => {
                (h, p.parse().unwrap_or_else(|_| bad()))
            }
            _ => (address, 5432),
        };
        let cluster = Cluster {
            bin: find_psql(),
            host: host.to_string(),
            port,
            user: user.to_string(),
            password: password.to_string(),
            admin_db: if db.is_empty() { "postgres" } else { db }.to_string(),
            query: query.to_string(),
            own: None,
            ca: std::env::var_os("SGQUIZ_TEST_POSTGRES_CA").map(PathBuf::from),
        };
        cluster.psql("postgres", "SELECT 1");
        register_at_exit();
        cluster
    }

    /// A cluster of its own, that no other test uses: for tests that stop and restart it.
    /// Stopped, and its folder removed, when it is dropped (or the process ends).
    pub fn start_private() -> Cluster {
        Cluster::start_new("pg-private")
    }

    fn start_new(prefix: &str) -> Cluster {
        let bin = find_binaries();
        for program in ["initdb", "pg_ctl", "postgres", "psql"] {
            assert!(bin.join(program).is_file(), "{program}: {MISSING}");
        }
        let as_postgres = is_root();
        if as_postgres {
            let known = Command::new("id")
                .args(["-u", "postgres"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            assert!(
                known,
                "the tests run as root, and initdb refuses root: they run PostgreSQL as the \
                 postgres account that Debian's postgresql package makes, but there is none. {MISSING}"
            );
        }
        let dir = cluster_folder(prefix, as_postgres);
        register_at_exit();
        TO_STOP
            .lock()
            .unwrap()
            .push((bin.clone(), dir.clone(), as_postgres));
        start_watchdog(&bin, &dir, as_postgres);

        let password = random_text(24);
        let cluster = Cluster {
            bin,
            host: "127.0.0.1".to_string(),
            port: free_port(),
            user: USER.to_string(),
            password,
            admin_db: "postgres".to_string(),
            query: String::new(),
            own: Some(Own { dir, as_postgres }),
            ca: None,
        };
        let mut cluster = cluster.init();
        cluster.start_on_a_free_port();
        cluster
    }

    /// Makes the cluster's data folder, its certificates and its settings.
    fn init(mut self) -> Cluster {
        let own = self.own.as_ref().expect("a cluster of our own");
        let dir = own.dir.clone();
        let pwfile = dir.join("password");
        write_private(&pwfile, &format!("{}\n", self.password));
        if own.as_postgres {
            chown_to_postgres(&dir);
        }
        let out = server_program(&self.bin, "initdb", own.as_postgres)
            .arg("-D")
            .arg(dir.join("data"))
            .args(["-U", &self.user, "--auth=scram-sha-256", "--no-sync"])
            .args(["--encoding=UTF8", "--locale=C"])
            .arg(format!("--pwfile={}", pwfile.display()))
            .output()
            .expect("initdb runs");
        assert!(
            out.status.success(),
            "initdb failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::remove_file(&pwfile).unwrap();

        let (ca, cert, key) = certificates();
        let data = dir.join("data");
        std::fs::write(dir.join("ca.crt"), ca).unwrap();
        std::fs::write(data.join("server.crt"), cert).unwrap();
        write_private(&data.join("server.key"), &key);
        std::fs::create_dir_all(dir.join("socket")).unwrap();
        let settings = format!(
            "\n# sgquiz tests\n\
             listen_addresses = '127.0.0.1'\n\
             unix_socket_directories = '{socket}'\n\
             ssl = on\n\
             ssl_cert_file = 'server.crt'\n\
             ssl_key_file = 'server.key'\n\
             password_encryption = 'scram-sha-256'\n\
             max_connections = 200\n\
             fsync = off\n\
             full_page_writes = off\n\
             log_min_messages = warning\n",
            socket = dir.join("socket").display(),
        );
        let conf = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).unwrap();
        text.push_str(&settings);
        std::fs::write(&conf, text).unwrap();
        // Password login for every connection, by socket or TCP; nothing else.
        std::fs::write(
            data.join("pg_hba.conf"),
            "local all all scram-sha-256\n\
             hostnossl all +sgquiz_tls_only 127.0.0.1/32 reject\n\
             host all all 127.0.0.1/32 scram-sha-256\n",
        )
        .unwrap();
        if own.as_postgres {
            chown_to_postgres(&dir);
        }
        self.ca = Some(dir.join("ca.crt"));
        self
    }

    fn own(&self) -> &Own {
        self.own
            .as_ref()
            .expect("only a cluster made by the tests can be stopped and started")
    }

    /// Starts the server; on a port someone else took meanwhile, tries another (only before
    /// the cluster has been given out, so its URLs do not change).
    fn start_on_a_free_port(&mut self) {
        let port_file = self.own().dir.join("data/postgresql.auto.conf");
        let mut tries = 0;
        loop {
            // The port is kept with the data, so a restart uses the same one.
            std::fs::write(&port_file, format!("port = {}\n", self.port)).unwrap();
            match self.try_start() {
                Ok(()) => return,
                Err(e) if tries < 5 && e.contains("in use") => {
                    tries += 1;
                    self.port = free_port();
                }
                Err(e) => panic!("{e}"),
            }
        }
    }

    fn try_start(&self) -> Result<(), String> {
        let own = self.own();
        let log = own.dir.join("server.log");
        let out = server_program(&self.bin, "pg_ctl", own.as_postgres)
            .arg("-D")
            .arg(own.dir.join("data"))
            .arg("-l")
            .arg(&log)
            .args(["start", "-w", "-t", "60"])
            .output()
            .expect("pg_ctl runs");
        if out.status.success() {
            return Ok(());
        }
        let log = std::fs::read_to_string(&log).unwrap_or_default();
        Err(format!(
            "PostgreSQL did not start:\n{}{}\n--- server log ---\n{log}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }

    /// Starts a private cluster again after `stop`, on the same data and port.
    pub fn start(&self) {
        // The port may be taken meanwhile on a busy machine; retry for a while.
        let started = Instant::now();
        loop {
            match self.try_start() {
                Ok(()) => return,
                Err(e) if started.elapsed() < Duration::from_secs(30) && e.contains("in use") => {
                    std::thread::sleep(Duration::from_millis(500))
                }
                Err(e) => panic!("{e}"),
            }
        }
    }

    /// Stops a private cluster (as an administrator would: fast, its data kept).
    pub fn stop(&self) {
        let own = self.own();
        let out = server_program(&self.bin, "pg_ctl", own.as_postgres)
            .arg("-D")
            .arg(own.dir.join("data"))
            .args(["stop", "-m", "fast", "-w", "-t", "60"])
            .output()
            .expect("pg_ctl runs");
        assert!(
            out.status.success(),
            "PostgreSQL did not stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stops and starts a private cluster: every connection to it is cut.
    pub fn restart(&self) {
        self.stop();
        self.start();
    }

    /// The URL of database `db`, with the password.
    pub fn url(&self, db: &str) -> String {
        let query = if self.query.is_empty() {
            String::new()
        } else {
            format!("?{}", self.query)
        };
        format!(
            "postgres://{}:{}@{}:{}/{db}{query}",
            self.user, self.password, self.host, self.port
        )
    }

    /// The URL of database `db` without a password: for tests that give it another way
    /// (`PGPASSWORD`, `~/.pgpass`), or none.
    pub fn url_without_password(&self, db: &str) -> String {
        let query = if self.query.is_empty() {
            String::new()
        } else {
            format!("?{}", self.query)
        };
        format!(
            "postgres://{}@{}:{}/{db}{query}",
            self.user, self.host, self.port
        )
    }

    /// The URL of database `db` over TLS with the server's certificate and name checked
    /// against the tests' CA: `…?sslmode=verify-full&sslrootcert=CA`.
    pub fn verify_full_url(&self, db: &str) -> String {
        format!(
            "postgres://{}:{}@{}:{}/{db}?sslmode=verify-full&sslrootcert={}",
            self.user,
            self.password,
            self.host,
            self.port,
            self.ca_file().display()
        )
    }

    /// The password of the superuser (or the given URL's role): tests search output for it.
    pub fn password(&self) -> &str {
        &self.password
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The CA certificate that signed the server's: for `sslrootcert=`.
    pub fn ca_file(&self) -> &Path {
        self.ca.as_deref().unwrap_or_else(|| {
            panic!(
                "set SGQUIZ_TEST_POSTGRES_CA to the CA certificate of the server in \
                 SGQUIZ_TEST_POSTGRES, for the TLS tests"
            )
        })
    }

    /// A new, empty database with a name of its own; its URL, with the password.
    pub fn fresh_database(&self) -> String {
        static LOCK: Mutex<()> = Mutex::new(());
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let name = format!(
            "sgquiz_test_{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
            random_text(6).to_lowercase()
        );
        // CREATE DATABASE copies template1, and fails if another copy of it is being made.
        let _serial = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let started = Instant::now();
        loop {
            match self.try_psql(&self.admin_db, &format!("CREATE DATABASE \"{name}\"")) {
                Ok(_) => break,
                Err(e)
                    if e.contains("being accessed by other users")
                        && started.elapsed() < Duration::from_secs(30) =>
                {
                    std::thread::sleep(Duration::from_millis(200))
                }
                Err(e) => panic!("CREATE DATABASE {name}: {e}"),
            }
        }
        if self.own.is_none() {
            MADE_EXTERNALLY.lock().unwrap().push((
                self.bin.clone(),
                self.url(&self.admin_db),
                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            ));
        }
        self.url(&name)
    }

    /// A new database owned by a new login role (not a superuser) whose password is
    /// `password`: its URL, the password percent-encoded as a URL needs. With `tls_only`, the
    /// server refuses the role any connection without TLS (a cluster made here only), so a
    /// test can see that a store really uses TLS.
    pub fn fresh_database_as(&self, password: &str, tls_only: bool) -> String {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let role = format!(
            "sgquiz_role_{}_{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let quoted = password.replace('\'', "\'\'");
        self.psql(
            &self.admin_db,
            &format!("CREATE ROLE \"{role}\" LOGIN PASSWORD '{quoted}'"),
        );
        if self.own.is_none() {
            assert!(
                !tls_only,
                "a TLS-only role needs a server made by the tests (its pg_hba.conf)"
            );
            MADE_EXTERNALLY.lock().unwrap().push((
                self.bin.clone(),
                self.url(&self.admin_db),
                format!("DROP ROLE IF EXISTS \"{role}\""),
            ));
        }
        if tls_only {
            self.psql(
                &self.admin_db,
                "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = \
                 'sgquiz_tls_only') THEN CREATE ROLE sgquiz_tls_only NOLOGIN; END IF; END $$",
            );
            self.psql(
                &self.admin_db,
                &format!("GRANT sgquiz_tls_only TO \"{role}\""),
            );
        }
        let db = Cluster::database_of(&self.fresh_database());
        self.psql(
            &self.admin_db,
            &format!("ALTER DATABASE \"{db}\" OWNER TO \"{role}\""),
        );
        let encoded: String = password
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        format!(
            "postgres://{role}:{encoded}@{}:{}/{db}",
            self.host, self.port
        )
    }

    /// A CA certificate (PEM) that signed nothing of this server's: `sslrootcert=` with it
    /// must fail to verify the server.
    pub fn unrelated_ca(path: &Path) {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "an unrelated CA");
        std::fs::write(path, params.self_signed(&key).unwrap().pem()).unwrap();
    }

    /// The name of the database in a URL this cluster gave.
    pub fn database_of(url: &str) -> String {
        let path = url.rsplit_once('/').expect("a URL with a database").1;
        path.split('?').next().unwrap().to_string()
    }

    /// The whole of database `db` (its tables and every row) as `pg_dump` writes it: to see
    /// that a store was left untouched, or that nothing of a trainee is left in it.
    #[track_caller]
    pub fn dump(&self, db: &str) -> String {
        let out = client_command(&self.bin, "pg_dump")
            .args(["--no-owner", "--no-privileges", "-d", &self.url(db)])
            .stdin(Stdio::null())
            .output()
            .expect("pg_dump runs");
        assert!(
            out.status.success(),
            "pg_dump {db}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // pg_dump (15.14 on) fences its output with a random key each run: not the data.
        String::from_utf8(out.stdout)
            .expect("the dump is UTF-8")
            .lines()
            .filter(|l| !l.starts_with("\\restrict") && !l.starts_with("\\unrestrict"))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    /// Whether the server has a database called `name`.
    pub fn database_exists(&self, name: &str) -> bool {
        let count = self.psql(
            &self.admin_db,
            &format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'"),
        );
        count == "1"
    }

    /// Runs SQL on database `db` with psql; its output (unaligned, tuples only). Panics with
    /// psql's message if it fails.
    #[track_caller]
    pub fn psql(&self, db: &str, sql: &str) -> String {
        self.try_psql(db, sql)
            .unwrap_or_else(|e| panic!("psql on {db}: {sql}\n{e}"))
    }

    /// Runs SQL on database `db` with psql: its output, or its error message.
    pub fn try_psql(&self, db: &str, sql: &str) -> Result<String, String> {
        self.try_psql_url(&self.url(db), sql)
    }

    /// Runs SQL with psql on the database at `url`: its output, or its error message.
    pub fn try_psql_url(&self, url: &str, sql: &str) -> Result<String, String> {
        let out = psql_command(&self.bin, url)
            .args(["-c", sql])
            .output()
            .expect("psql runs");
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some(own) = &self.own {
            stop_and_remove(&self.bin, &own.dir, own.as_postgres);
            TO_STOP
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .retain(|(_, dir, _)| dir != &own.dir);
        }
    }
}

/// A new folder for a cluster: under `CARGO_TARGET_TMPDIR`, or the system's temporary folder
/// when the postgres account cannot reach that or the socket's path would be too long.
fn cluster_folder(prefix: &str, as_postgres: bool) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    );
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    // A Unix socket's path must fit in 107 bytes: DIR/socket/.s.PGSQL.PORT.
    let fits = target.join(&name).as_os_str().len() + "/socket/.s.PGSQL.65535".len() < 100;
    let reachable = !as_postgres
        || Command::new("runuser")
            .args(["-u", "postgres", "--", "test", "-x"])
            .arg(&target)
            .status()
            .is_ok_and(|s| s.success());
    let base = if fits && reachable {
        target
    } else {
        std::env::temp_dir()
    };
    let dir = base.join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}

fn chown_to_postgres(dir: &Path) {
    let status = Command::new("chown")
        .args(["-R", "postgres:"])
        .arg(dir)
        .status()
        .expect("chown runs");
    assert!(status.success(), "chown -R postgres {}", dir.display());
}

/// Starts a watchdog: once this test process has gone (however it ended), it stops the
/// cluster at once and removes its folder. It runs in a session of its own, so that a Ctrl-C
/// meant for the tests does not stop it first.
fn start_watchdog(bin: &Path, dir: &Path, as_postgres: bool) {
    use std::os::unix::process::CommandExt;
    let pg_ctl = bin.join("pg_ctl");
    // The loop runs in the background of a shell that exits at once (so nothing is left to
    // wait for), and outlives it.
    let script = r#"
        (
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            if [ -f "$2/data/postmaster.pid" ]; then
                if [ "$4" = yes ]; then
                    runuser -u postgres -- "$3" -D "$2/data" stop -m immediate -w -t 30
                else
                    "$3" -D "$2/data" stop -m immediate -w -t 30
                fi
            fi
            rm -rf "$2"
        ) </dev/null >/dev/null 2>&1 &
    "#;
    let mut cmd = Command::new("sh");
    cmd.args(["-c", script, "sgquiz-test-postgres-watchdog"])
        .arg(std::process::id().to_string())
        .arg(dir)
        .arg(pg_ctl)
        .arg(if as_postgres { "yes" } else { "no" })
        .current_dir("/")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: setsid is async-signal-safe, as pre_exec requires.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let started = cmd.status().expect("the PostgreSQL watchdog starts");
    assert!(started.success(), "the PostgreSQL watchdog starts");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_fresh_databases_are_distinct_and_reachable_over_verified_tls() {
        let cluster = server();
        let (a, b) = (fresh_database(), fresh_database());
        assert_ne!(a, b);
        let (name_a, name_b) = (Cluster::database_of(&a), Cluster::database_of(&b));
        cluster.psql(
            &name_a,
            "CREATE TABLE mark (x int); INSERT INTO mark VALUES (1)",
        );
        assert_eq!(cluster.psql(&name_a, "SELECT count(*) FROM mark"), "1");
        let dump = cluster.dump(&name_a);
        assert!(dump.contains("CREATE TABLE public.mark"));
        assert_eq!(cluster.dump(&name_a), dump, "a dump is the same each time");
        assert!(cluster.database_exists(&name_a) && cluster.database_exists(&name_b));
        assert!(!cluster.database_exists("sgquiz_no_such_database"));
        assert!(
            cluster
                .try_psql(&name_b, "SELECT count(*) FROM mark")
                .is_err(),
            "the second database is empty"
        );
        let tls = cluster
            .try_psql_url(
                &cluster.verify_full_url(&name_b),
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            )
            .expect("verify-full against the CA");
        assert_eq!(tls, "t", "the connection is encrypted");
        // The certificate names 127.0.0.1 and localhost, and nothing else.
        let by_name = cluster
            .verify_full_url(&name_b)
            .replace("@127.0.0.1:", "@localhost:");
        if cluster.own.is_some() {
            cluster
                .try_psql_url(&by_name, "SELECT 1")
                .expect("localhost is in the certificate");
        }
    }

    #[test]
    fn a_wrong_password_is_refused() {
        let cluster = server();
        let db = Cluster::database_of(&fresh_database());
        let wrong = cluster
            .url(&db)
            .replace(cluster.password(), "not-the-password");
        let e = cluster.try_psql_url(&wrong, "SELECT 1").unwrap_err();
        assert!(e.contains("password authentication failed"), "{e}");
        let none = cluster.url_without_password(&db);
        assert!(!none.contains(cluster.password()));
        assert!(cluster.try_psql_url(&none, "SELECT 1").is_err());
    }

    #[test]
    fn a_tls_only_role_with_an_awkward_password_connects_with_tls_alone() {
        let cluster = Cluster::start_private();
        let password = "p@ss:w/o?rd#%x y'z";
        let url = cluster.fresh_database_as(password, true);
        assert!(!url.contains(password));
        let ssl = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()";
        let encrypted = cluster
            .try_psql_url(&format!("{url}?sslmode=require"), ssl)
            .expect("with TLS");
        assert_eq!(encrypted, "t");
        let e = cluster
            .try_psql_url(&format!("{url}?sslmode=disable"), "SELECT 1")
            .unwrap_err();
        assert!(e.contains("no encryption") || e.contains("reject"), "{e}");
        cluster
            .try_psql_url(&cluster.url(&Cluster::database_of(&url)), "SELECT 1")
            .expect("others may still connect");
        let other = crate::support::tempdir("pg-ca").join("other-ca.crt");
        Cluster::unrelated_ca(&other);
        let e = cluster
            .try_psql_url(
                &format!("{url}?sslmode=verify-full&sslrootcert={}", other.display()),
                "SELECT 1",
            )
            .unwrap_err();
        assert!(e.contains("certificate"), "{e}");
        // Created in a database the role owns: the store may make its tables there.
        let db = Cluster::database_of(&url);
        cluster
            .try_psql_url(&url, "CREATE TABLE mine (x int)")
            .expect("the owner may create tables");
        assert!(cluster.dump(&db).contains("mine"));
    }

    #[test]
    fn a_private_cluster_keeps_its_data_and_port_across_a_restart_and_is_removed_when_dropped() {
        let private = Cluster::start_private();
        let url = private.fresh_database();
        let db = Cluster::database_of(&url);
        private.psql(
            &db,
            "CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)",
        );
        let port = private.port();
        private.stop();
        assert!(private.try_psql(&db, "SELECT 1").is_err(), "stopped");
        private.start();
        assert_eq!(private.port(), port);
        assert_eq!(private.psql(&db, "SELECT x FROM kept"), "7");
        private.restart();
        assert_eq!(private.psql(&db, "SELECT x FROM kept"), "7");
        let dir = private.own().dir.clone();
        assert!(dir.exists());
        drop(private);
        assert!(!dir.exists(), "{} is removed", dir.display());
    }

    /// A test process killed outright (no atexit handler runs) leaves no server behind: the
    /// watchdog stops it.
    #[test]
    fn a_killed_test_process_leaves_no_server_running() {
        if let Ok(out) = std::env::var(KILLED_CHILD) {
            // The child: start a cluster, say where, and wait to be killed.
            let cluster = Cluster::start_private();
            let dir = cluster.own().dir.clone();
            std::fs::write(&out, format!("{}\n{}\n", cluster.port(), dir.display())).unwrap();
            std::mem::forget(cluster);
            std::thread::sleep(Duration::from_secs(600));
            return;
        }
        let report = crate::support::tempdir("pg-killed").join("where");
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "support::postgres::tests::a_killed_test_process_leaves_no_server_running",
                "--exact",
                "--nocapture",
            ])
            .env(KILLED_CHILD, &report)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let text = loop {
            if let Ok(t) = std::fs::read_to_string(&report)
                && t.ends_with('\n')
                && t.lines().count() == 2
            {
                break t;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "no cluster");
            std::thread::sleep(Duration::from_millis(100));
        };
        let mut lines = text.lines();
        let port: u16 = lines.next().unwrap().parse().unwrap();
        let dir = PathBuf::from(lines.next().unwrap());
        assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
        child.kill().unwrap();
        child.wait().unwrap();
        let started = Instant::now();
        while dir.exists() || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the server of a killed test process is still there"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    const KILLED_CHILD: &str = "SGQUIZ_TEST_POSTGRES_KILLED_CHILD";
}
