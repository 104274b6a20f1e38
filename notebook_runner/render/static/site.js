/* notebook-runner site script: search, and time links (timestamps, video chapters) that
   seek the note's player.
   Everything works without it: time links are real links to the moment in the video. */
(function () {
  "use strict";
  var root = document.body.getAttribute("data-root") || "";
  /* The interface text in the site's language: `[script]` of render/locales/*.toml. */
  var ui = JSON.parse(document.body.getAttribute("data-ui") || "{}");

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

  function loadScript(src, ready) {
    var script = document.createElement("script");
    script.src = src;
    script.onload = ready;
    document.head.appendChild(script);
  }

  function html5Player(video) {
    return {
      seek: function (t) { video.currentTime = t; var p = video.play(); if (p && p.catch) p.catch(function () {}); },
      time: function (report) { report(video.currentTime); },
      watch: function (update) { video.addEventListener("timeupdate", function () { update(video.currentTime); }); }
    };
  }

  function youtubePlayer(slot) {
    var player = null, pending = null, api = window.YT;
    function create(start) {
      var frame = document.createElement("div");
      slot.textContent = "";
      slot.appendChild(frame);
      player = new window.YT.Player(frame, {
        host: "https://www.youtube-nocookie.com",
        videoId: slot.getAttribute("data-video-id"),
        playerVars: { start: Math.floor(start), autoplay: 1, rel: 0 },
        events: { onReady: function () { if (pending !== null) { player.seekTo(pending, true); player.playVideo(); pending = null; } } }
      });
    }
    return {
      seek: function (t) {
        if (player && player.seekTo) { player.seekTo(t, true); player.playVideo(); return; }
        pending = t;
        if (player) return;
        if (window.YT && window.YT.Player) { create(t); return; }
        var previous = window.onYouTubeIframeAPIReady;
        window.onYouTubeIframeAPIReady = function () { if (previous) previous(); create(pending || 0); };
        if (!api) { api = true; loadScript("https://www.youtube.com/iframe_api"); }
      },
      watch: function (update) {
        setInterval(function () {
          if (player && player.getCurrentTime && player.getPlayerState && player.getPlayerState() === 1) update(player.getCurrentTime());
        }, 500);
      }
    };
  }

  function vimeoPlayer(slot) {
    var player = null, listeners = [];
    return {
      seek: function (t) {
        function go() { player.setCurrentTime(t).then(function () { player.play(); }); }
        if (player) { go(); return; }
        loadScript("https://player.vimeo.com/api/player.js", function () {
          slot.textContent = "";
          player = new window.Vimeo.Player(slot, { id: Number(slot.getAttribute("data-video-id")), responsive: true });
          listeners.forEach(function (update) { player.on("timeupdate", function (d) { update(d.seconds); }); });
          go();
        });
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
      var button = document.createElement("button");
      button.type = "button";
      button.className = "player-load";
      button.textContent = ui.play_video;
      button.addEventListener("click", function () { var p = playerFor(slot.id); if (p) p.seek(0); });
      slot.insertBefore(button, slot.firstChild);
    });
    document.querySelectorAll("video[id]").forEach(function (video) { playerFor(video.id); });
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest(".timestamp-link[data-player]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      var player = playerFor(link.getAttribute("data-player"));
      if (!player) return;
      event.preventDefault();
      player.seek(Number(link.getAttribute("data-seconds")));
      var slot = document.getElementById(link.getAttribute("data-player"));
      if (slot && slot.scrollIntoView) slot.scrollIntoView({ block: "nearest" });
    });
  }

  setupSearch();
  setupPlayers();
})();
