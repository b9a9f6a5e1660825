// The workbench's few behaviours: next/previous hit in a document, keyboard triage of the review
// queue, and the progress of a build. Everything works without it, by forms and links.
(function () {
  "use strict";
  var csrf = document.currentScript.getAttribute("data-csrf");

  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

  // -- hits in a document's text
  var marks = Array.prototype.slice.call(document.querySelectorAll(".text mark"));
  var current = -1;
  function showHit(step) {
    if (!marks.length) return;
    if (current >= 0) marks[current].classList.remove("current");
    current = (current + step + marks.length) % marks.length;
    marks[current].classList.add("current");
    marks[current].scrollIntoView({block: "center"});
    var count = document.getElementById("hitcount");
    if (count) count.textContent = (current + 1) + " / " + marks.length;
  }
  document.querySelectorAll("[data-hit]").forEach(function (b) {
    b.addEventListener("click", function () { showHit(parseInt(b.getAttribute("data-hit"), 10)); });
  });
  var count = document.getElementById("hitcount");
  if (count) count.textContent = marks.length ? "共 " + marks.length + " 处" : "正文中没有";

  // -- the review queue
  var queue = document.getElementById("queue");
  if (queue) {
    var items = Array.prototype.slice.call(queue.querySelectorAll("li.item"));
    var at = 0;
    function focus(i) {
      if (!items.length) return;
      at = Math.max(0, Math.min(items.length - 1, i));
      items.forEach(function (li) { li.classList.remove("focus"); });
      items[at].classList.add("focus");
      items[at].focus();
    }
    function accept(li) {
      var code = li.getAttribute("data-suggest");
      if (!code) { li.classList.add("nothing"); return Promise.resolve(false); }
      return fetch("/api/docs/" + li.getAttribute("data-doc") + "/decisions", {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
        body: JSON.stringify({add: [code]})
      }).then(function (r) {
        if (r.ok) { li.classList.add("done"); return true; }
        return r.json().then(function (e) { li.classList.add("failed"); li.title = e.error || r.status; return false; });
      });
    }
    document.addEventListener("keydown", function (e) {
      if (/INPUT|SELECT|TEXTAREA/.test(e.target.tagName) || e.ctrlKey || e.metaKey || e.altKey) return;
      var key = e.key.toLowerCase();
      if (key === "j" || key === "arrowdown") { focus(at + 1); e.preventDefault(); }
      else if (key === "k" || key === "arrowup") { focus(at - 1); e.preventDefault(); }
      else if (key === "s") { items[at].classList.add("skipped"); focus(at + 1); e.preventDefault(); }
      else if (key === "a") { var li = items[at]; accept(li); focus(at + 1); e.preventDefault(); }
      else if (key === "enter") { window.location = items[at].querySelector("a.title").href; }
    });
    var all = document.getElementById("selectall");
    if (all) all.addEventListener("change", function () {
      items.forEach(function (li) { li.querySelector(".pick").checked = all.checked; });
    });
    var bulk = document.getElementById("bulk");
    if (bulk) bulk.addEventListener("click", function () {
      items.filter(function (li) { return li.querySelector(".pick").checked; }).reduce(function (p, li) {
        return p.then(function () { return accept(li); });
      }, Promise.resolve());
    });
    focus(0);
  }

  // -- a build under way
  var job = document.getElementById("job");
  if (job && job.getAttribute("data-running") === "yes") {
    var timer = setInterval(function () {
      fetch("/api/build", {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
        document.getElementById("job-lines").textContent = s.lines.join("\n");
        if (!s.running) { clearInterval(timer); window.location.reload(); }
      });
    }, 1000);
  }
})();
