/* The participant pages, enhanced. Every page works without this script (plain forms);
   with it, an answer is saved when it is given, kept in the browser while the connection
   is down and sent when it returns, results and the room's state arrive live, and the
   grid is placed by dragging or tapping. No library; nothing is loaded from elsewhere. */
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");
  var main = doc.getElementById("main");
  if (!main || !main.dataset.code) { return; }
  var code = main.dataset.code;
  var QUEUE = "workshop-queue:" + code;
  var netbar = doc.getElementById("netbar");
  var online = navigator.onLine !== false;
  var inflight = {};
  var acked = {};
  var retryDelay = 1000;
  var retryTimer = null;

  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, k) { return values[k]; });
  }

  // --- the queue of answers not yet acknowledged, kept in localStorage ---------------
  function readQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "{}") || {}; } catch (e) { return {}; }
  }
  function writeQueue(queue) {
    try { localStorage.setItem(QUEUE, JSON.stringify(queue)); } catch (e) { /* full */ }
  }
  var queue = readQueue();

  function serialize(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    return new URLSearchParams(data).toString();
  }
  function keyOf(form, params) {
    var item = params.get("remove") || (params.get("add") ? (params.get("item") || params.get("uid")) : "");
    return form.getAttribute("action") + (item ? "|" + item : "");
  }
  function formOf(url) { return $$("form.answer").filter(function (f) { return f.getAttribute("action") === url.split("|")[0]; })[0]; }
  function status(form, kind, text) {
    var el = form && $("[data-status]", form);
    if (el) { el.className = "status " + kind; el.textContent = text; }
  }

  function enqueue(form, submitter) {
    var body = serialize(form, submitter);
    var params = new URLSearchParams(body);
    var key = keyOf(form, params);
    queue[key] = { url: form.getAttribute("action"), body: body, t: Date.now() };
    writeQueue(queue);
    status(form, "pending", main.dataset.saving || "…");
    showNet();
    send(key);
  }

  function send(key) {
    var entry = queue[key];
    if (!entry || inflight[key]) { return; }
    inflight[key] = entry.body;
    fetch(entry.url, {
      method: "POST", body: entry.body, credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; },
        function () { return { status: response.status, data: null }; });
    }).then(function (reply) {
      var sent = inflight[key];
      delete inflight[key];
      if (reply.status >= 500 || reply.data === null) {
        var failure = new Error("server");
        failure.reply = reply.data;  // e.g. the store is busy: a message, and try again
        throw failure;
      }
      online = true; retryDelay = 1000;
      // A newer answer to the same question may be waiting: then the page keeps showing
      // that one (it goes next), not what this reply was about.
      var newer = queue[key] && queue[key].body !== sent ? queue[key].body : null;
      if (queue[key] && !newer) { delete queue[key]; writeQueue(queue); }
      var form = formOf(key);
      if (reply.data.ok) { accepted(form, reply.data, sent, newer); } else { refused(form, reply.data, newer); }
      showNet();
      if (queue[key]) { send(key); }
    }).catch(function (failure) {
      delete inflight[key];
      var message = failure && failure.reply && failure.reply.message;
      online = !!message;  // the server answered (not saved): the connection is fine
      status(formOf(key), message ? "error" : "pending", message || main.dataset.kept || "");
      showNet();
      retryLater();
    });
  }

  function flush() { Object.keys(queue).forEach(send); }
  function retryLater() {
    if (retryTimer) { return; }
    retryTimer = setTimeout(function () { retryTimer = null; flush(); }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  }

  function accepted(form, data, body, newer) {
    if (!form) { return; }
    if (!newer) { status(form, "ok", data.message); }
    Object.keys(data.own || {}).forEach(function (block) {
      var layer = $('[data-block="' + block + '"] .own-layer');
      if (layer) {
        layer.innerHTML = data.own[block];
        layer.parentNode.classList.toggle("overlay", data.own[block].indexOf("<svg") === 0);
      }
    });
    if (data.form) { redraw(form, data.form); }
    acked[form.dataset.q] = data.form ? serialize(form) : body;
    if (form.dataset.type === "dot_vote") { dotsLeft(form); }
  }

  // The form drawn again by the server (its list of own items changed). What is being
  // typed meanwhile stays, and so does the keyboard's place in the form.
  function redraw(form, html) {
    var body = $("fieldset.body", form), typed = {}, active = doc.activeElement;
    var had = active && body.contains(active) ? [active.name, active.value] : null;
    $$("textarea, input[name=name]", body).forEach(function (el) { if (el.value) { typed[el.name] = el.value; } });
    body.innerHTML = html;
    enhance(form);
    Object.keys(typed).forEach(function (name) {
      var el = $('[name="' + name + '"]', body);
      if (el) { el.value = typed[name]; if (el.tagName === "TEXTAREA") { count(el); } }
    });
    if (!had) { return; }
    var same = $$("[name]", body).filter(function (el) { return el.name === had[0] && el.value === had[1]; })[0];
    var next = (form.dataset.type === "free_text" && $("textarea", body)) || same ||
      $("textarea, input:not([type=hidden]), select, button", body);
    if (next) { next.focus(); }
  }

  function refused(form, data, newer) {
    if (!form) { return; }
    status(form, "error", data.message);
    if (data.closed) { setOpen(false); }
    restore(form, newer || acked[form.dataset.q]);
    if (form.dataset.type === "dot_vote") { dotsLeft(form); }
  }

  // Put a form back to a serialized state (a refused answer, or one still in the queue).
  function restore(form, body) {
    if (body === undefined) { return; }
    var params = new URLSearchParams(body);
    $$("input, select, textarea", form).forEach(function (el) {
      if (!el.name || el.name === "_xsrf" || el.type === "hidden" || el.type === "submit") { return; }
      if (el.type === "radio" || el.type === "checkbox") {
        el.checked = params.getAll(el.name).indexOf(el.value) >= 0;
      } else if (el.tagName !== "TEXTAREA") {
        el.value = params.has(el.name) ? params.get(el.name) : (el.type === "number" ? "0" : "");
      }
    });
    var board = $("[data-board]", form);
    if (board) { layout(form); }
  }

  function showNet() {
    if (!netbar) { return; }
    var waiting = Object.keys(queue).length;
    var text = "";
    if (waiting) { text = fill(netbar.dataset.unsent, { n: waiting }); }
    else if (!online) { text = netbar.dataset.offline; }
    netbar.textContent = text;
    netbar.hidden = !text;
  }

  // --- answering: save on change, the plain form's buttons handled here ---------------
  var AUTO = { scale: 1, single_choice: 1, multiple_choice: 1, raci: 1, aim: 1, flow_check: 1, grid: 1, dot_vote: 1, word_cloud: 1 };
  var timers = {};
  doc.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form.answer");
    if (!form || !AUTO[form.dataset.type]) { return; }
    clearTimeout(timers[form.dataset.q]);
    timers[form.dataset.q] = setTimeout(function () { enqueue(form); }, form.dataset.type === "dot_vote" ? 150 : 0);
  });
  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("answer")) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    if (submitter && submitter.name === "step") { step(form, submitter.value); return; }
    if (submitter && submitter.name === "move") { reorder(form, submitter.value); return; }
    enqueue(form, submitter);
    if (submitter && submitter.name === "add") {  // what was added is sent: empty its fields
      $$("textarea, input[name=name]", submitter.closest("fieldset") || form).forEach(function (field) {
        field.value = "";
        if (field.tagName === "TEXTAREA") { count(field); }
      });
      renew(form);
    }
  });
  // A new text or map addition carries a fresh id, so that one added before the reply to
  // the last (offline, say) is another item, not a replacement of the one still queued.
  function renew(form) {
    $$('input[type=hidden][name="item"], input[type=hidden][name="uid"]', form).forEach(function (input) {
      var at = input.value.lastIndexOf(":") + 1, size = input.value.length - at;
      var bytes = new Uint8Array(Math.ceil(size / 2));
      crypto.getRandomValues(bytes);
      var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      input.value = input.value.slice(0, at) + hex.slice(0, size);
    });
  }
  doc.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[data-count]")) { count(event.target); }
  });
  function count(area) {
    var counter = $("[data-counter]", area.closest("form"));
    if (counter) { counter.textContent = area.value.length + "/" + area.dataset.count; }
  }

  // Dots: the plus and minus buttons change the number fields within the budget.
  function step(form, value) {
    var parts = value.split(":"), key = parts[0], delta = parseInt(parts[1], 10);
    var list = $(".dots", form), field = form.elements["d." + key];
    if (!field || !list) { return; }
    var used = $$(".dot-count", form).reduce(function (sum, f) { return sum + (parseInt(f.value, 10) || 0); }, 0);
    var now = parseInt(field.value, 10) || 0;
    if (delta > 0 && used >= parseInt(list.dataset.budget, 10)) { status(form, "error", list.dataset.full); return; }
    if (delta > 0 && now >= parseInt(list.dataset.max, 10)) { status(form, "error", list.dataset.most); return; }
    if (delta < 0 && now <= 0) { return; }
    field.value = now + delta;
    dotsLeft(form);
    clearTimeout(timers[form.dataset.q]);
    timers[form.dataset.q] = setTimeout(function () { enqueue(form); }, 150);
  }
  function dotsLeft(form) {
    var left = $(".dots-left", form), list = $(".dots", form);
    if (!left || !list) { return; }
    var used = $$(".dot-count", form).reduce(function (sum, f) { return sum + (parseInt(f.value, 10) || 0); }, 0);
    left.textContent = fill(list.dataset.left, { n: parseInt(list.dataset.budget, 10) - used, budget: list.dataset.budget });
  }

  // Others' texts came or went as options of a dot vote: the form is drawn again from the
  // live stream's copy, with this participant's own values (sent or not) put back.
  function newOptions(form, live) {
    if (!form || form.dataset.formKey === live.key) { return; }
    var body = $("fieldset.body", form), values = {}, save = $("button.save", body);
    $$("input.dot-count", body).forEach(function (el) { values[el.name] = el.value; });
    redraw(form, live.html + (save ? save.outerHTML : ""));
    $$("input.dot-count", body).forEach(function (el) { if (el.name in values) { el.value = values[el.name]; } });
    form.dataset.formKey = live.key;
    dotsLeft(form);
  }

  // --- a ranking: the arrows (and dragging a line) change the order --------------------
  function reorder(form, value) {
    var parts = value.split(":"), row = $('.rank-row[data-key="' + parts[0] + '"]', form);
    if (!row) { return; }
    var sibling = parts[1] === "-1" ? row.previousElementSibling : row.nextElementSibling;
    if (!sibling) { return; }
    row.parentNode.insertBefore(row, parts[1] === "-1" ? sibling : sibling.nextSibling);
    ranked(form);
    var again = $('button[name="move"][value="' + value + '"]', form);
    if (again && !again.disabled) { again.focus(); } else { $("button", row).focus(); }
  }
  function ranked(form) {
    var rows = $$(".rank-row", form);
    rows.forEach(function (row, i) {
      $('button[value$=":-1"]', row).disabled = i === 0;
      $('button[value$=":1"]', row).disabled = i === rows.length - 1;
    });
    clearTimeout(timers[form.dataset.q]);
    timers[form.dataset.q] = setTimeout(function () { enqueue(form); }, 150);
  }
  var dragRow = null;
  doc.addEventListener("pointerdown", function (event) {
    var handle = event.target.closest && event.target.closest(".rank-handle");
    if (!handle || event.button > 0) { return; }
    dragRow = handle.closest(".rank-row");
    dragRow.classList.add("dragging");
    dragRow.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  doc.addEventListener("pointermove", function (event) {
    if (!dragRow) { return; }
    var under = doc.elementFromPoint(event.clientX, event.clientY);
    var over = under && under.closest(".rank-row");
    if (!over || over === dragRow || over.parentNode !== dragRow.parentNode) { return; }
    var box = over.getBoundingClientRect();
    over.parentNode.insertBefore(dragRow, event.clientY < box.top + box.height / 2 ? over : over.nextSibling);
  });
  doc.addEventListener("pointerup", function () {
    if (!dragRow) { return; }
    var form = dragRow.closest("form");
    dragRow.classList.remove("dragging");
    dragRow = null;
    ranked(form);
  });

  // --- the grid: drag a chip onto a cell, or tap the chip and then the cell -----------
  function enhance(form) {
    var board = $("[data-board]", form);
    if (!board) { return; }
    board.hidden = false;
    layout(form);
  }
  function selects(form, item) { return [form.elements["x." + item], form.elements["y." + item]]; }
  function layout(form) {
    var tray = $(".tray", form);
    $$(".chip", form).forEach(function (chip) {
      var s = selects(form, chip.dataset.item);
      var cell = s[0] && s[0].value && s[1].value ? $('.cell[data-x="' + s[0].value + '"][data-y="' + s[1].value + '"]', form) : null;
      (cell || tray).appendChild(chip);
    });
  }
  function place(chip, x, y) {
    var form = chip.closest("form"), s = selects(form, chip.dataset.item);
    if (form.querySelector("fieldset.body").disabled) { return; }
    s[0].value = x ? String(x) : ""; s[1].value = y ? String(y) : "";
    layout(form);
    chip.focus();
    s[0].dispatchEvent(new Event("change", { bubbles: true }));
  }
  function selected(form) { return $('.chip[aria-pressed="true"]', form); }
  function choose(chip) {
    var form = chip.closest("form"), before = selected(form);
    if (before && before !== chip) { before.setAttribute("aria-pressed", "false"); }
    chip.setAttribute("aria-pressed", chip.getAttribute("aria-pressed") === "true" ? "false" : "true");
  }
  doc.addEventListener("click", function (event) {
    var chip = event.target.closest && event.target.closest(".chip");
    if (chip) { if (!chip.dataset.dragged) { choose(chip); } delete chip.dataset.dragged; return; }
    var cell = event.target.closest && event.target.closest(".cell, .tray");
    if (!cell) { return; }
    var pick = selected(cell.closest("form"));
    if (pick) { pick.setAttribute("aria-pressed", "false"); place(pick, cell.dataset.x, cell.dataset.y); }
  });
  doc.addEventListener("keydown", function (event) {
    var chip = event.target.closest && event.target.closest(".chip");
    if (!chip) { return; }
    var s = selects(chip.closest("form"), chip.dataset.item);
    var x = parseInt(s[0].value, 10) || 0, y = parseInt(s[1].value, 10) || 0;
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (moves[event.key]) {
      event.preventDefault();
      if (!x) { place(chip, 3, 3); return; }
      place(chip, Math.min(5, Math.max(1, x + moves[event.key][0])), Math.min(5, Math.max(1, y + moves[event.key][1])));
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault(); place(chip, 0, 0);
    }
  });
  var drag = null;
  doc.addEventListener("pointerdown", function (event) {
    var chip = event.target.closest && event.target.closest(".chip");
    if (!chip || event.button > 0) { return; }
    drag = { chip: chip, x: event.clientX, y: event.clientY, moved: false };
    chip.setPointerCapture(event.pointerId);
  });
  doc.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    if (Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) > 8) { drag.moved = true; drag.chip.classList.add("dragging"); }
    $$(".cell.target").forEach(function (c) { c.classList.remove("target"); });
    var under = doc.elementFromPoint(event.clientX, event.clientY);
    var cell = under && under.closest(".cell");
    if (drag.moved && cell) { cell.classList.add("target"); }
  });
  doc.addEventListener("pointerup", function (event) {
    if (!drag) { return; }
    var chip = drag.chip, moved = drag.moved;
    drag = null;
    chip.classList.remove("dragging");
    $$(".cell.target").forEach(function (c) { c.classList.remove("target"); });
    if (!moved) { return; }
    chip.dataset.dragged = "1";
    var under = doc.elementFromPoint(event.clientX, event.clientY);
    var cell = under && under.closest(".cell, .tray");
    if (cell && cell.closest("form") === chip.closest("form")) { place(chip, cell.dataset.x, cell.dataset.y); }
  });

  // --- the room: closed exercises, following the facilitator, a countdown -------------
  var exercise = main.dataset.exercise || "";
  function setOpen(open) {
    $$("form.answer fieldset.body").forEach(function (f) { f.disabled = !open; });
    var banner = $("[data-closed-banner]");
    if (banner) { banner.hidden = open; }
  }
  // ``live``: from the event stream. The state the page was drawn with may be a moment
  // old (the server caches it briefly), so only the stream moves a following phone on
  // (a page drawn just after a move sent the phone back where it came from); the drawn
  // state only gives a new tab its starting point.
  function applyRoom(room, live) {
    if (main.dataset.presenter) {
      if ((room.current || "") !== exercise || room.show_map !== (main.dataset.map === "1")) {
        location.reload(); return;
      }
      var big = $("[data-countdown]");
      if (big) { big.dataset.ends = room.countdown_ends || ""; tick(); }
      return;
    }
    if (exercise) { setOpen(room.open.indexOf(exercise) >= 0); }
    $$("[data-exercise-card]").forEach(function (card) {
      var open = room.open.indexOf(card.dataset.exerciseCard) >= 0;
      card.classList.toggle("closed", !open);
      var tag = $("[data-closed-tag]", card);
      if (tag) { tag.hidden = open; }
    });
    var seenKey = "workshop-current:" + code, seen = sessionStorage.getItem(seenKey);
    if (live || seen === null) { sessionStorage.setItem(seenKey, room.current || ""); }
    if (live && room.follow && room.current && room.current !== exercise && seen !== null && seen !== room.current) {
      location.assign("/s/" + code + "/e/" + room.current);
      return;
    }
    var banner = $("[data-follow-banner]"), titles = JSON.parse(main.dataset.titles || "{}");
    if (banner) {
      banner.hidden = !(room.follow && room.current && room.current !== exercise);
      if (!banner.hidden) {
        $("[data-follow-text]", banner).textContent = fill(main.dataset.followTemplate, { title: titles[room.current] || room.current });
        $("[data-follow-link]", banner).href = "/s/" + code + "/e/" + room.current;
      }
    }
    var clock = $("[data-countdown]");
    if (clock) { clock.dataset.ends = room.countdown_ends || ""; tick(); }
  }
  function tick() {
    var clock = $("[data-countdown]");
    if (!clock) { return; }
    var ends = clock.dataset.ends ? Date.parse(clock.dataset.ends) : NaN;
    clock.hidden = isNaN(ends);
    if (isNaN(ends)) { return; }
    var left = Math.max(0, Math.round((ends - Date.now()) / 1000));
    var text = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
    clock.textContent = left ? fill(clock.dataset.left, { time: text }) : clock.dataset.up;
  }
  setInterval(tick, 1000);

  // The projector cannot scroll: when the results are taller than the room left for them,
  // they are drawn smaller (down to 40 %) until the page fits the screen.
  function fit() {
    var box = main.dataset.presenter && $(".presenter-results");
    if (!box) { return; }
    box.style.zoom = "";
    var page = doc.documentElement, need = box.offsetHeight, least = 0.4;
    if (page.scrollHeight <= window.innerHeight || !need) { return; }
    var zoom = Math.max(least, (window.innerHeight - (page.scrollHeight - need)) / need);
    for (var i = 0; i < 8; i++) {
      box.style.zoom = zoom.toFixed(3);
      if (page.scrollHeight <= window.innerHeight || zoom <= least) { return; }
      zoom = Math.max(least, zoom * 0.96);
    }
  }
  window.addEventListener("resize", fit);

  // --- live updates -------------------------------------------------------------------
  function listen() {
    if (!main.dataset.live || !window.EventSource) { return; }
    var source = new EventSource(main.dataset.live);
    source.addEventListener("room", function (event) { applyRoom(JSON.parse(event.data), true); });
    source.addEventListener("results", function (event) {
      var data = JSON.parse(event.data);
      Object.keys(data.blocks).forEach(function (block) {
        var layer = $('[data-block="' + block + '"] .group-layer');
        if (layer) { layer.innerHTML = data.blocks[block]; }
      });
      Object.keys(data.forms || {}).forEach(function (q) { newOptions($('form[data-q="' + q + '"]'), data.forms[q]); });
      var count = $("[data-responses]");
      if (count) { count.textContent = fill(data.n === 1 && count.dataset.one ? count.dataset.one : count.dataset.template, { n: data.n }); }
      fit();
    });
    source.addEventListener("map", function () {
      var frame = $("[data-map]");
      if (frame) { frame.src = frame.src; }
    });
    source.addEventListener("people", function (event) {
      var people = $("[data-people]");
      var counts = JSON.parse(event.data);
      if (people) { people.textContent = fill(counts.joined === 1 && people.dataset.one ? people.dataset.one : people.dataset.template, counts); }
    });
    source.onopen = function () { online = true; showNet(); flush(); };
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) { setTimeout(listen, 5000); }
    };
  }

  window.addEventListener("online", function () { online = true; showNet(); flush(); });
  window.addEventListener("offline", function () { online = false; showNet(); });

  // --- start: enhance the forms, show what is still in the queue, send it -------------
  $$("form.answer").forEach(function (form) {
    acked[form.dataset.q] = serialize(form);
    enhance(form);
    if (form.dataset.type === "dot_vote") { dotsLeft(form); }
    Object.keys(queue).forEach(function (key) {
      if (key === form.getAttribute("action")) {
        restore(form, queue[key].body);
        status(form, "pending", main.dataset.kept || "");
      }
    });
    var area = $("textarea[data-count]", form);
    if (area) { count(area); }
  });
  try { applyRoom(JSON.parse(main.dataset.room || "{}")); } catch (e) { /* keep the page */ }
  showNet();
  flush();
  fit();
  listen();
}());
