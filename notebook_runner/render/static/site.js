/* notebook-runner site script: search, and time links (timestamps, video chapters) that
   seek the note's player.
   Everything works without it: time links are real links to the moment in the video. */
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  /* The interface text in the site's language: `[script]` of render/locales/*.toml. */
  var ui = JSON.parse(document.body.getAttribute("data-ui") || "{}");
  /* A catalogue text with its {placeholders} filled in. */
  function filled(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, name) { return values[name]; });
  }

  /* ---- search over titles, headings, tags and text ---- */
  function fold(text) {
    return String(text).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function folded(entry) {
    if (!entry.folded) {
      entry.folded = {
        title: fold(entry.title), headings: fold(entry.headings.join(" ")),
        tags: fold(entry.tags.join(" ")), text: fold(entry.text)
      };
    }
    return entry.folded;
  }
  function scoreEntry(entry, words) {
    var f = folded(entry), score = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i], s = 0;
      if (f.title.indexOf(w) >= 0) s += 10;
      if (f.headings.indexOf(w) >= 0) s += 5;
      if (f.tags.indexOf(w) >= 0) s += 4;
      if (f.text.indexOf(w) >= 0) s += 1;
      if (!s) return 0;
      score += s;
    }
    return score;
  }
  function setupSearch() {
    var box = document.querySelector(".search"), input = document.getElementById("search-input"),
        list = document.getElementById("search-results"), index = window.NOTEBOOK_RUNNER_SEARCH;
    if (!box || !input || !list || !index) return;
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      list.textContent = "";
      if (!words.length) return;
      var hits = [];
      index.forEach(function (entry) {
        var score = scoreEntry(entry, words);
        if (score) hits.push([score, entry]);
      });
      hits.sort(function (a, b) { return b[0] - a[0] || (a[1].title < b[1].title ? -1 : 1); });
      hits.slice(0, 10).forEach(function (hit) {
        var item = document.createElement("li"), link = document.createElement("a");
        link.href = root + hit[1].url;
        link.textContent = hit[1].title;
        item.appendChild(link);
        if (hit[1].tags.length) {
          var context = document.createElement("span");
          context.className = "hit-context";
          context.textContent = hit[1].tags.map(function (t) { return "#" + t; }).join(" ");
          item.appendChild(context);
        }
        list.appendChild(item);
      });
      if (!hits.length) {
        var none = document.createElement("li");
        none.textContent = ui.no_results;
        list.appendChild(none);
      }
    });
  }

  /* ---- players ---- */
  var players = {};
  /* A player that has not started this many milliseconds after play was asked for is
     taken as blocked or offline: the reader is told, and given the plain link. */
  var LOAD_TIMEOUT = 6000;

  function loadScript(src, ready, failed) {
    var script = document.createElement("script");
    script.src = src;
    script.onload = ready;
    script.onerror = failed;
    document.head.appendChild(script);
  }

  function clock(t) {
    var s = Math.floor(t), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, sec = s % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(sec).padStart(2, "0");
  }

  /* The player could not load: say so in its place, with the plain link to the moment. */
  function showFailure(slot, t) {
    var link = document.querySelector('.timestamp-link[data-player="' + slot.id + '"][data-seconds="' + Math.floor(t) + '"]');
    var href = link ? link.href : slot.getAttribute("data-href");
    var message = document.createElement("p");
    message.className = "player-error";
    message.setAttribute("role", "alert");
    message.textContent = ui.player_failed;
    if (href) {
      var open = document.createElement("a");
      open.className = "external-link";
      open.href = href;
      open.textContent = t ? filled(ui.watch_from, { time: clock(t) }) : ui.watch_elsewhere;
      message.appendChild(open);
    }
    slot.textContent = "";
    slot.appendChild(message);
  }

  /* What every remote player shares: a watchdog on loading, and the failed state. */
  function loading(slot, state) {
    var timer = null;
    return {
      start: function (t) {
        if (timer === null) timer = setTimeout(function () { if (!state.ready) this.fail(t); }.bind(this), LOAD_TIMEOUT);
      },
      ready: function () { state.ready = true; },
      fail: function (t) { if (state.ready || state.broken) return; state.broken = true; showFailure(slot, t || 0); }
    };
  }

  function html5Player(video) {
    return {
      seek: function (t) { video.currentTime = t; var p = video.play(); if (p && p.catch) p.catch(function () {}); return true; },
      watch: function (update) { video.addEventListener("timeupdate", function () { update(video.currentTime); }); }
    };
  }

  function youtubePlayer(slot) {
    var player = null, pending = null, api = window.YT, state = { ready: false, broken: false };
    var load = loading(slot, state);
    function create(start) {
      var frame = document.createElement("div");
      slot.textContent = "";
      slot.appendChild(frame);
      player = new window.YT.Player(frame, {
        host: "https://www.youtube-nocookie.com",
        videoId: slot.getAttribute("data-video-id"),
        playerVars: { start: Math.floor(start), autoplay: 1, rel: 0 },
        events: { onReady: function () { load.ready(); if (pending !== null) { player.seekTo(pending, true); player.playVideo(); pending = null; } } }
      });
    }
    return {
      seek: function (t) {
        if (state.broken) return false;
        if (player && player.seekTo && state.ready) { player.seekTo(t, true); player.playVideo(); return true; }
        pending = t;
        load.start(t);
        if (player) return true;
        if (window.YT && window.YT.Player) { create(t); return true; }
        var previous = window.onYouTubeIframeAPIReady;
        window.onYouTubeIframeAPIReady = function () { if (previous) previous(); create(pending || 0); };
        if (!api) { api = true; loadScript("https://www.youtube.com/iframe_api", null, function () { load.fail(pending); }); }
        return true;
      },
      watch: function (update) {
        setInterval(function () {
          if (player && player.getCurrentTime && player.getPlayerState && player.getPlayerState() === 1) update(player.getCurrentTime());
        }, 500);
      }
    };
  }

  function vimeoPlayer(slot) {
    var player = null, listeners = [], state = { ready: false, broken: false };
    var load = loading(slot, state);
    return {
      seek: function (t) {
        if (state.broken) return false;
        function go() { player.setCurrentTime(t).then(function () { load.ready(); player.play(); }); }
        load.start(t);
        if (player) { go(); return true; }
        loadScript("https://player.vimeo.com/api/player.js", function () {
          slot.textContent = "";
          player = new window.Vimeo.Player(slot, { id: Number(slot.getAttribute("data-video-id")), responsive: true });
          listeners.forEach(function (update) { player.on("timeupdate", function (d) { update(d.seconds); }); });
          go();
        }, function () { load.fail(t); });
        return true;
      },
      watch: function (update) { listeners.push(update); }
    };
  }

  function highlight(playerId, seconds) {
    var links = document.querySelectorAll('.note-body .timestamp-link[data-player="' + playerId + '"]'),
        current = null;
    links.forEach(function (link) {
      if (Number(link.getAttribute("data-seconds")) <= seconds + 0.25) current = link;
    });
    var section = current && current.closest("[data-section]");
    var id = section ? section.getAttribute("data-section") : null;
    document.querySelectorAll(".playing").forEach(function (el) {
      if (el.getAttribute("data-section") !== id) el.classList.remove("playing");
    });
    if (id) document.querySelectorAll('[data-section="' + id + '"]').forEach(function (el) { el.classList.add("playing"); });
  }

  /* The thumbnail is a remote image: fetched only once the reader asks for the video. */
  function revealThumbnail(slot) {
    var url = slot.getAttribute("data-thumbnail"), poster = slot.querySelector(".player-poster");
    if (!url || !poster) return;
    slot.removeAttribute("data-thumbnail");
    var image = document.createElement("img");
    image.className = "player-thumbnail";
    image.alt = "";
    image.src = url;
    poster.insertBefore(image, poster.firstChild);
  }

  function playerFor(id) {
    if (players[id]) return players[id];
    var slot = document.getElementById(id), player = null;
    if (!slot) return null;
    var kind = slot.tagName === "VIDEO" ? "file" : slot.getAttribute("data-kind");
    if (kind === "file") player = html5Player(slot.tagName === "VIDEO" ? slot : slot.querySelector("video"));
    else if (kind === "youtube" && slot.getAttribute("data-video-id")) player = youtubePlayer(slot);
    else if (kind === "vimeo" && slot.getAttribute("data-video-id")) player = vimeoPlayer(slot);
    if (player && kind !== "file") revealThumbnail(slot);
    if (player) {
      player.watch(function (t) { highlight(id, t); });
      players[id] = player;
    }
    return player;
  }

  function setupPlayers() {
    document.querySelectorAll("figure.player[data-video-id]").forEach(function (slot) {
      var poster = slot.querySelector(".player-poster"), title = slot.querySelector(".player-title");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "player-load";
      button.textContent = "▶";
      button.setAttribute("aria-label", title ? filled(ui.play_titled_video, { title: title.textContent }) : ui.play_the_video);
      function play() { var p = playerFor(slot.id); if (p) p.seek(0); }
      button.addEventListener("click", function (event) { event.stopPropagation(); play(); });
      if (poster) { poster.appendChild(button); poster.addEventListener("click", play); }
      else slot.insertBefore(button, slot.firstChild);
    });
    document.querySelectorAll("video[id]").forEach(function (video) { playerFor(video.id); });
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".timestamp-link[data-player]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      var player = playerFor(link.getAttribute("data-player"));
      if (!player || !player.seek(Number(link.getAttribute("data-seconds")))) return;  /* the plain link then */
      event.preventDefault();
      var slot = document.getElementById(link.getAttribute("data-player"));
      if (slot && slot.scrollIntoView) slot.scrollIntoView({ block: "nearest" });
    });
  }

  setupSearch();
  setupPlayers();
})();
