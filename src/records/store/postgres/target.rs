//! Where a PostgreSQL store is: the `postgres://` address read into a connection's settings,
//! the password found (in the address, `PGPASSWORD` or the password file) but never shown, and
//! TLS as `sslmode` asks, through rustls.
//!
//! The address is read with the `url` crate and the settings given to the client one by one,
//! rather than handing the client the address: it knows `sslmode` only up to `require`, and a
//! trust needs `verify-ca` and `verify-full`, which rustls checks here.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::pgpass;

/// How long to wait for the server to answer a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The query keys an address may carry; anything else is refused as a likely slip.
const KEYS: &[&str] = &[
    "sslmode",
    "sslrootcert",
    "host",
    "user",
    "connect_timeout",
    "application_name",
];

/// Whether text names a PostgreSQL store rather than a file or folder.
pub fn is_address(text: &str) -> bool {
    let lower = text.get(..13).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// `sslmode`, as libpq reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    Disable,
    /// TLS if the server offers it, without checking its certificate (libpq's default).
    Prefer,
    /// TLS always; the certificate is checked only if a root certificate is given.
    Require,
    /// TLS, and the certificate must be signed by a trusted root.
    VerifyCa,
    /// TLS, signed by a trusted root and issued for the host connected to.
    VerifyFull,
}

impl TlsMode {
    fn parse(text: &str) -> Result<TlsMode> {
        Ok(match text {
            "disable" => TlsMode::Disable,
            "allow" | "prefer" => TlsMode::Prefer,
            "require" => TlsMode::Require,
            "verify-ca" => TlsMode::VerifyCa,
            "verify-full" => TlsMode::VerifyFull,
            other => bail!(
                "sslmode={other} is not one PostgreSQL knows; use disable, prefer, require, \
                 verify-ca or verify-full"
            ),
        })
    }
}

/// A PostgreSQL store's address, read and checked.
#[derive(Clone)]
pub struct Target {
    /// The address as it is shown: the password, if any, masked.
    pub shown: String,
    pub host: String,
    pub port: u16,
    pub user: String,
    pub database: String,
    password: Option<String>,
    /// Where the password came from, for the message when the server refuses it.
    pub password_from: &'static str,
    tls: TlsMode,
    root_cert: Option<PathBuf>,
    connect_timeout: Duration,
    application_name: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

impl Target {
    /// Reads a `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=…` address. Nothing in an
    /// error repeats the address, which may hold a password.
    pub fn parse(text: &str) -> Result<Target> {
        let url = url::Url::parse(text).map_err(|e| {
            anyhow::anyhow!(
                "the results store's address is not a PostgreSQL address ({e}); write it as \
                 postgres://USER@HOST:PORT/DATABASE"
            )
        })?;
        let decode = |s: &str| -> Result<String> {
            percent_decode(s).context("the results store's address has a bad %-escape")
        };
        let mut shown = url.clone();
        if url.password().is_some() {
            let _ = shown.set_password(Some("***"));
        }
        let shown = shown.to_string();
        let mut host = match url.host() {
            Some(url::Host::Domain(d)) => decode(d)?,
            Some(url::Host::Ipv4(ip)) => ip.to_string(),
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            None => String::new(),
        };
        let database = decode(url.path().trim_start_matches('/'))?;
        if database.is_empty() || database.contains('/') {
            bail!(
                "the results store's address {shown} names no database; write it as \
                 postgres://USER@HOST:PORT/DATABASE"
            );
        }
        let mut user = decode(url.username())?;
        let mut tls = TlsMode::Prefer;
        let mut root_cert = None;
        let mut connect_timeout = CONNECT_TIMEOUT;
        let mut application_name = "sgquiz".to_string();
        for (key, value) in url.query_pairs() {
            match key.as_ref() {
                "sslmode" => tls = TlsMode::parse(&value)?,
                "sslrootcert" => root_cert = Some(PathBuf::from(value.as_ref())),
                "host" => host = value.into_owned(),
                "user" => user = value.into_owned(),
                "connect_timeout" => {
                    let secs: u64 = value.parse().ok().filter(|s| *s > 0).with_context(|| {
                        format!("connect_timeout={value} is not a number of seconds")
                    })?;
                    connect_timeout = Duration::from_secs(secs);
                }
                "application_name" => application_name = value.into_owned(),
                other => bail!(
                    "the results store's address has `{other}`, which sgquiz does not know; it \
                     knows {}",
                    KEYS.join(", ")
                ),
            }
        }
        if host.is_empty() {
            host = "localhost".to_string();
        }
        if user.is_empty() {
            user = std::env::var("PGUSER")
                .or_else(|_| std::env::var("USER"))
                .unwrap_or_default();
        }
        if user.is_empty() {
            bail!(
                "the results store's address {shown} names no role; write it as \
                 postgres://USER@HOST/DATABASE"
            );
        }
        let port = url.port().unwrap_or(5432);
        let (password, password_from) = match url.password() {
            Some(p) => (Some(decode(p)?), "the address"),
            None => match std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()) {
                Some(p) => (Some(p), "PGPASSWORD"),
                None => match pgpass::find(&host, port, &database, &user) {
                    Some(p) => (Some(p), "the password file"),
                    None => (None, "nowhere"),
                },
            },
        };
        Ok(Target {
            shown,
            host,
            port,
            user,
            database,
            password,
            password_from,
            tls,
            root_cert,
            connect_timeout,
            application_name,
        })
    }

    /// The address without its password, for another machine that brings its own.
    pub fn without_password(&self) -> String {
        let mut url = url::Url::parse(&self.shown).expect("read once already");
        let _ = url.set_password(None);
        url.to_string()
    }

    /// `host:port`, or the socket folder, for messages.
    pub fn server(&self) -> String {
        if self.host.starts_with('/') {
            format!("the socket in {}", self.host)
        } else if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    /// The client's settings, and the TLS connector `sslmode` asks for.
    pub fn config(&self) -> Result<(postgres::Config, MakeRustlsConnect)> {
        let mut config = postgres::Config::new();
        if self.host.starts_with('/') {
            config.host_path(Path::new(&self.host));
        } else {
            config.host(&self.host);
        }
        config
            .port(self.port)
            .user(&self.user)
            .dbname(&self.database)
            .connect_timeout(self.connect_timeout)
            .application_name(&self.application_name)
            .keepalives_idle(Duration::from_secs(30));
        if let Some(p) = &self.password {
            config.password(p);
        }
        use postgres::config::SslMode;
        let mode = if self.host.starts_with('/') {
            // A socket on this machine has nothing to encrypt.
            TlsMode::Disable
        } else if self.tls == TlsMode::Require && self.root_cert.is_some() {
            // As libpq: a root certificate given makes `require` check the chain.
            TlsMode::VerifyCa
        } else {
            self.tls
        };
        config.ssl_mode(match mode {
            TlsMode::Disable => SslMode::Disable,
            TlsMode::Prefer => SslMode::Prefer,
            _ => SslMode::Require,
        });
        Ok((config, MakeRustlsConnect::new(self.tls_config(mode)?)))
    }

    fn tls_config(&self, mode: TlsMode) -> Result<ClientConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .context("setting up TLS")?;
        let verifier: Arc<dyn ServerCertVerifier> = match mode {
            TlsMode::Disable | TlsMode::Prefer | TlsMode::Require => {
                Arc::new(EncryptOnly(provider))
            }
            TlsMode::VerifyCa | TlsMode::VerifyFull => {
                let roots = Arc::new(self.roots()?);
                let full = WebPkiServerVerifier::builder_with_provider(roots, provider)
                    .build()
                    .context("setting up TLS with the root certificates")?;
                if mode == TlsMode::VerifyCa {
                    Arc::new(AnyName(full))
                } else {
                    full
                }
            }
        };
        Ok(builder
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth())
    }

    /// The certificates a server's must be signed by: `sslrootcert`, else
    /// `~/.postgresql/root.crt` as libpq reads, else the system's.
    fn roots(&self) -> Result<RootCertStore> {
        let mut roots = RootCertStore::empty();
        let home_root = std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(".postgresql/root.crt"))
            .filter(|p| p.is_file());
        let file = match &self.root_cert {
            Some(p) if p.as_os_str() == "system" => None,
            Some(p) => Some(p.clone()),
            None => home_root,
        };
        match file {
            Some(path) => {
                let certs = CertificateDer::pem_file_iter(&path)
                    .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| {
                        anyhow::anyhow!(
                            "reading the root certificate {} (sslrootcert): {e}",
                            path.display()
                        )
                    })?;
                let (added, _) = roots.add_parsable_certificates(certs);
                if added == 0 {
                    bail!(
                        "the root certificate file {} (sslrootcert) holds no certificate",
                        path.display()
                    );
                }
            }
            None => {
                let found = rustls_native_certs::load_native_certs();
                roots.add_parsable_certificates(found.certs);
                if roots.is_empty() {
                    bail!(
                        "sslmode=verify-ca or verify-full needs root certificates, and this \
                         machine has none; give one with sslrootcert=/path/to/root.crt"
                    );
                }
            }
        }
        Ok(roots)
    }
}

/// Undoes %-escapes; `None` if they do not make UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// `prefer` and `require` without a root certificate, as libpq does them: the connection is
/// encrypted, the certificate taken on trust (its signature over the handshake is still
/// checked). `verify-full` is what protects against someone in the middle.
#[derive(Debug)]
struct EncryptOnly(Arc<rustls::crypto::CryptoProvider>);

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted root; the name on the certificate is not
/// compared with the host.
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_read_and_its_password_never_shown() {
        let t = Target::parse(
            "postgres://trust:s%40cret@db.example.org:6543/results?sslmode=verify-full",
        )
        .unwrap();
        assert_eq!(
            t.shown,
            "postgres://trust:***@db.example.org:6543/results?sslmode=verify-full"
        );
        assert_eq!((t.host.as_str(), t.port), ("db.example.org", 6543));
        assert_eq!((t.user.as_str(), t.database.as_str()), ("trust", "results"));
        assert_eq!(t.password.as_deref(), Some("s@cret"));
        assert_eq!(t.tls, TlsMode::VerifyFull);
        assert!(!format!("{t:?}").contains("s@cret"));
        assert_eq!(t.server(), "db.example.org:6543");
    }

    #[test]
    fn both_schemes_and_ipv6_hosts_are_read() {
        assert!(is_address("postgresql://u@h/d") && is_address("POSTGRES://u@h/d"));
        assert!(!is_address("results.db") && !is_address("postgres.db"));
        let t = Target::parse("postgresql://u@[::1]/d").unwrap();
        assert_eq!((t.host.as_str(), t.port), ("::1", 5432));
        assert_eq!(t.server(), "[::1]:5432");
        assert_eq!(t.tls, TlsMode::Prefer, "libpq's default");
    }

    #[test]
    fn slips_in_an_address_are_refused_without_repeating_the_password() {
        for (bad, says) in [
            ("postgres://u:pw@h:5432/", "names no database"),
            (
                "postgres://u:pw@h/d?sslmode=verify",
                "sslmode=verify is not",
            ),
            ("postgres://u:pw@h/d?sslmdoe=require", "`sslmdoe`"),
            ("postgres://u:pw@h:99999/d", "not a PostgreSQL address"),
            (
                "postgres://u:pw@h/d?connect_timeout=soon",
                "connect_timeout=soon",
            ),
        ] {
            let e = format!("{:#}", Target::parse(bad).unwrap_err());
            assert!(e.contains(says), "{bad}: {e}");
            assert!(!e.contains(":pw@"), "{bad}: {e}");
        }
    }

    #[test]
    fn a_socket_folder_is_taken_from_the_query() {
        let t = Target::parse("postgres:///d?host=/var/run/postgresql&user=u").unwrap();
        assert_eq!(t.host, "/var/run/postgresql");
        assert_eq!(t.server(), "the socket in /var/run/postgresql");
    }
}
