//! `sgquiz session serve`: a session in the browser. Opens the session, builds the web front end
//! (`web`) with this command's rules for carrying on an unfinished attempt, listens only where
//! told, and prints what the trainer needs: the join address, the code, a QR code of the address,
//! the debrief page's address, and how each trainee is getting on: on a terminal, a board of one
//! line per trainee redrawn in place (`board`, drawn by `screen`); elsewhere (a log, a pipe, the
//! plain mode), a line as each trainee goes on. Ctrl-C stops; attempts in progress stay
//! incomplete, and a trainee who rejoins under the same name carries on.

mod board;
mod screen;

use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use qrcode::QrCode;
use qrcode::render::unicode::Dense1x2;

use self::board::{Board, one_line};
use self::screen::Screen;
use super::Exit;
use super::run::{Quiz, carried_on_in_browser};
use super::session::open_session;
use super::terminal::Terminal;
use crate::bank::setting::Setting;
use crate::cli::Cli;
use crate::records::record::HOLD_MINUTES;
use crate::records::session::{parse_code, show_code};
use crate::records::store::{Location, Store};
use crate::util::table::{terminal_height, terminal_width};
use crate::web::server::{App, Config, Progress, Resumer, app, join_address};

/// Joins allowed from one address per minute.
pub const JOINS_PER_MINUTE: usize = 20;

/// The web front end for the session `code` in the store at `location`; `progress` hears of each
/// trainee; `hosts` are names it answers to besides this computer's own (`--host`). Refuses a
/// session that does not exist or is closed, and a name that is not a host name.
pub fn web_app(
    location: &Location,
    code: &str,
    setting: Option<&Setting>,
    progress: Arc<dyn Fn(Progress) + Send + Sync>,
    hosts: &[String],
) -> Result<App> {
    let mut names = host_names();
    for host in hosts {
        names.push(host_name_given(host)?);
    }
    let session = {
        let mut store = location.open_existing()?;
        open_session(store.as_mut(), code)?
    };
    let quiz = Arc::new(Quiz::of_session(&session, setting)?);
    let resumer: Resumer = {
        let quiz = quiz.clone();
        Arc::new(move |store: &mut dyn Store, name: &str| carried_on_in_browser(&quiz, name, store))
    };
    let config = Config {
        session,
        bank: quiz.bank.clone(),
        resumer,
        progress,
        joins_per_minute: JOINS_PER_MINUTE,
        names,
    };
    app(config, location.clone())
}

/// The names this computer answers to on a network, besides its addresses and `localhost`: its
/// host name, the first part of it, and that part with `.local` (as mDNS announces it).
pub fn host_names() -> Vec<String> {
    let Some(host) = host_name() else {
        return Vec::new();
    };
    let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let short = host.split('.').next().unwrap_or_default().to_string();
    let mut names = vec![host, format!("{short}.local"), short];
    names.retain(|n| !n.is_empty() && n != ".local");
    names.sort();
    names.dedup();
    names
}

/// A name given with `--host`, as the Host check compares it: lower case, without a final dot.
/// Only a host name is taken (letters, digits and hyphens, in parts joined by dots), not an
/// address, a port or a pattern.
fn host_name_given(name: &str) -> Result<String> {
    let name = name.trim().trim_end_matches('.').to_ascii_lowercase();
    let part_ok = |p: &str| {
        (1..=63).contains(&p.len())
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !p.starts_with('-')
            && !p.ends_with('-')
    };
    if name.len() > 253 || !name.split('.').all(part_ok) {
        bail!(
            "`{}` is not a host name: give --host a name such as pc.school.lan, without a port \
             (addresses are answered already)",
            crate::util::text::sanitize(&name)
        );
    }
    Ok(name)
}

#[cfg(unix)]
fn host_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is writable for its whole length, which is what is passed.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if rc != 0 {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    std::str::from_utf8(&buf[..end]).ok().map(str::to_string)
}

#[cfg(not(unix))]
fn host_name() -> Option<String> {
    std::env::var("COMPUTERNAME").ok()
}

/// How many connections may wait to be accepted. A room joins at once (everyone scans the QR
/// code in the same few seconds); with the usual 128, the rest are turned away by the kernel and
/// each waits a second to try again (measured by `benches/live.rs`).
pub const BACKLOG: u32 = 1024;

/// Listens on `addr` with room for a whole room joining at once (`BACKLOG`). Called within the
/// server's runtime.
pub fn listener(addr: SocketAddr) -> io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    // As the standard library does: a server stopped and started again can listen at once.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// How often the board is redrawn, at most: often enough to look live, seldom enough that a
/// room answering at once costs the terminal little.
const REDRAW_EVERY: Duration = Duration::from_millis(250);

/// The trainer's board, kept as the server hears of trainees and redrawn by `draw_board`.
#[derive(Default)]
struct Live {
    board: Mutex<Board>,
    changed: AtomicBool,
}

impl Live {
    fn lines(&self) -> Vec<String> {
        // A column spare at the right, so that no line makes the terminal wrap; a line spare at
        // the foot, for the cursor.
        let width = terminal_width().saturating_sub(1).max(20);
        let height = terminal_height().unwrap_or(24).saturating_sub(1).max(2);
        self.board
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .lines(width, height)
    }
}

/// Redraws the board whenever it or the terminal's size changed, until told to stop; then once
/// more, so that the last word on each trainee stays on screen.
async fn draw_board(live: Arc<Live>, mut stop: tokio::sync::oneshot::Receiver<()>) {
    let mut screen = Screen::default();
    let mut size = None;
    let mut tick = tokio::time::interval(REDRAW_EVERY);
    loop {
        let stopping = tokio::select! {
            _ = tick.tick() => false,
            _ = &mut stop => true,
        };
        let now = Some((terminal_width(), terminal_height()));
        if live.changed.swap(false, Ordering::SeqCst) || size != now || stopping {
            size = now;
            let _ = screen.draw(&mut io::stdout().lock(), &live.lines());
        }
        if stopping {
            return;
        }
    }
}

pub fn serve(
    cli: &Cli,
    term: Terminal,
    location: &Location,
    code: &str,
    listen: SocketAddr,
    hosts: &[String],
) -> Result<Exit> {
    let live = term.redraws().then(|| {
        let live = Arc::new(Live::default());
        live.changed.store(true, Ordering::SeqCst);
        live
    });
    let progress: Arc<dyn Fn(Progress) + Send + Sync> = match &live {
        Some(live) => {
            let live = live.clone();
            Arc::new(move |p: Progress| {
                live.board
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .heard(&p);
                live.changed.store(true, Ordering::SeqCst);
            })
        }
        None => Arc::new(|p: Progress| {
            let time = jiff::Timestamp::now().strftime("%H:%M:%S UTC").to_string();
            let _ = writeln!(io::stdout(), "{time}  {}", one_line(&p.line()));
        }),
    };
    let setting = super::setting::chosen(cli)?;
    let App {
        router,
        debrief_path,
        sittings,
    } = web_app(location, code, setting.as_ref(), progress, hosts)?;
    let code = parse_code(code)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the web server")?;
    runtime.block_on(async {
        let listener = listener(listen).with_context(|| format!("cannot listen on {listen}"))?;
        let bound = listener.local_addr()?;
        let shown = SocketAddr::new(reachable(bound.ip()), bound.port());
        let address = join_address(shown, &code);
        let mut out = io::stdout();
        writeln!(out, "Serving session {} at {address}", show_code(&code))?;
        if bound.ip().is_loopback() {
            writeln!(
                out,
                "This address works on this computer only; for a room, stop and serve again \
                 with --listen 0.0.0.0:{}.",
                bound.port()
            )?;
        }
        writeln!(out, "Trainees open the address (or scan the code below), then type the session code {} and their name.", show_code(&code))?;
        if let Ok(qr) = QrCode::new(address.as_bytes()) {
            writeln!(out, "{}", qr.render::<Dense1x2>().quiet_zone(true).build())?;
        }
        writeln!(
            out,
            "Debrief for the projector (no names; keep this address to yourself): http://{shown}{}",
            debrief_path
        )?;
        writeln!(out, "Press Ctrl-C to stop serving.\n")?;
        out.flush()?;
        let (stop_drawing, stopped) = tokio::sync::oneshot::channel();
        let drawing = live.map(|live| tokio::spawn(draw_board(live, stopped)));
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving the session")?;
        if let Some(drawing) = drawing {
            let _ = stop_drawing.send(());
            let _ = drawing.await;
        }
        // The attempts in progress stay unfinished, free to be carried on at once.
        if let Err(e) = sittings.release().await {
            super::messages::warning(format_args!(
                "the unfinished attempts could not all be let go of: {e:#}; they can be carried \
                 on in the browser, or in a terminal after {HOLD_MINUTES} minutes"
            ));
        }
        anyhow::Ok(())
    })?;
    writeln!(
        io::stdout(),
        "\nStopped serving. Unfinished attempts are kept; a trainee who rejoins under the same \
         name carries on. Results: sgquiz report --session {}",
        show_code(&code)
    )?;
    Ok(Exit::Success)
}

/// An address trainees can reach: for a server on every interface, this computer's address on
/// the network it would reach others by (found without sending anything).
fn reachable(ip: IpAddr) -> IpAddr {
    if !ip.is_unspecified() {
        return ip;
    }
    UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| {
            s.connect("192.0.2.1:9")?;
            s.local_addr()
        })
        .map_or(ip, |a| a.ip())
}
