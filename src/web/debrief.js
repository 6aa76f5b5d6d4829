// sgquiz live session: keeps the debrief up to date on the projector, and nothing else. Every
// few seconds it asks the server for this same page and puts its newest count and table in
// place of the old ones: nothing is moved, nothing takes the focus, and a region that has the
// focus keeps it. A button stops and starts the updates (WCAG 2.2.2 Pause, Stop, Hide). Without
// JavaScript the page is whole as it is and says to reload it. Compiled into the binary and
// served from the server's own address, as its Content-Security-Policy allows; no inline script.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var count = document.getElementById("finished");
  var region = document.getElementById("analysis");
  var said = document.getElementById("updating");
  var button = document.getElementById("pause");
  if (!live || !count || !region || !said || !button || !window.fetch || !window.DOMParser) {
    return;
  }
  var seconds = parseInt(live.getAttribute("data-every"), 10) || 10;
  var timer = null;

  function now() {
    return new Date().toLocaleTimeString("en-GB");
  }

  function update() {
    fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var newCount = page.getElementById("finished");
        var newRegion = page.getElementById("analysis");
        if (!newCount || !newRegion) {
          throw new Error("not the debrief");
        }
        // Only what changed is touched, so a screen reader hears the count once when it
        // changes, and the table is left alone while it is the same.
        if (count.textContent !== newCount.textContent) {
          count.textContent = newCount.textContent;
        }
        if (region.innerHTML !== newRegion.innerHTML) {
          region.replaceChildren.apply(region, Array.prototype.slice.call(newRegion.childNodes));
        }
        if (timer !== null) {
          said.textContent = "This page updates itself every " + seconds +
            " seconds. Last updated at " + now() + ".";
        }
      })
      .catch(function () {
        if (timer !== null) {
          said.textContent = "The page could not be updated at " + now() +
            "; it will try again. Is the quiz still being served?";
        }
      });
  }

  function start(now) {
    timer = window.setInterval(update, seconds * 1000);
    button.textContent = "Stop updating";
    said.textContent = "This page updates itself every " + seconds + " seconds.";
    if (now) {
      update();
    }
  }

  function stop() {
    window.clearInterval(timer);
    timer = null;
    button.textContent = "Start updating";
    said.textContent = "Updating is stopped. Start it again, or reload the page, to see the latest.";
  }

  button.addEventListener("click", function () {
    if (timer === null) {
      start(true);
    } else {
      stop();
    }
  });
  button.hidden = false;
  start(false);
})();
