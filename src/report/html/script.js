// telltale report: the tooltip for highlights and words, and focus for links
// to highlights. Builds the tooltip only from nodes already in the page
// (cloned) and from text set with textContent: never from markup strings.
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var findings = document.getElementById("show-findings");
  var pull = document.getElementById("show-pull");
  if (!tip) { return; }

  function hide() {
    tip.hidden = true;
  }

  function place(target) {
    var r = target.getBoundingClientRect();
    tip.hidden = false;
    var width = tip.offsetWidth;
    var view = document.documentElement.clientWidth;
    var left = Math.min(Math.max(8, r.left), Math.max(8, view - width - 8));
    var below = r.bottom + 6;
    var top = below + tip.offsetHeight > window.innerHeight && r.top > tip.offsetHeight + 6
      ? r.top - tip.offsetHeight - 6
      : below;
    tip.style.left = (left + window.scrollX) + "px";
    tip.style.top = (top + window.scrollY) + "px";
  }

  function clone(id, selector) {
    var el = document.getElementById(id);
    var part = el && el.querySelector(selector);
    return part ? part.cloneNode(true) : null;
  }

  // one card per finding: what its note says, then why its rule exists
  function card(mark) {
    var c = document.createElement("div");
    c.className = "card";
    var body = clone(mark.getAttribute("data-note"), ".n-body");
    if (body) { c.appendChild(body); }
    var rule = "rule-" + mark.getAttribute("data-rule");
    ["dd .why", "dd .help"].forEach(function (sel) {
      var part = clone(rule, sel);
      if (part) {
        var p = document.createElement("p");
        p.className = part.className;
        p.textContent = part.textContent;
        c.appendChild(p);
      }
    });
    return c;
  }

  // the finding under the pointer and every finding around it, innermost first
  function marksAround(el) {
    var list = [];
    for (var m = el.closest("mark.hl"); m; m = m.parentElement && m.parentElement.closest("mark.hl")) {
      list.push(m);
    }
    return list;
  }

  function showFindings(target, marks) {
    tip.replaceChildren();
    marks.forEach(function (m) { tip.appendChild(card(m)); });
    place(target);
  }

  function showWord(word) {
    var pts = parseFloat(word.getAttribute("data-p"));
    var c = document.createElement("div");
    c.className = "card";
    var head = document.createElement("span");
    head.className = "n-rule";
    head.textContent = word.textContent;
    var p = document.createElement("p");
    p.textContent = (pts > 0 ? "+" : "") + pts.toFixed(2) + " points per use, " +
      (pts > 0 ? "toward generated" : "toward human-written") +
      " (the word's whole contribution is in the breakdown above).";
    c.appendChild(head);
    c.appendChild(p);
    tip.replaceChildren(c);
    place(word);
  }

  document.addEventListener("mouseover", function (e) {
    var t = e.target;
    if (!(t instanceof Element) || tip.contains(t)) { return; }
    var word = pull && pull.checked ? t.closest(".lx") : null;
    if (word) { showWord(word); return; }
    var marks = findings && findings.checked ? marksAround(t) : [];
    if (marks.length) { showFindings(marks[0], marks); } else { showFocusOf(document.activeElement); }
  });

  // the highlight with keyboard focus keeps its tooltip while the pointer
  // is elsewhere (after following a link to a highlight, the pointer rests
  // on the link, and moving it must not take the tooltip away), until
  // Escape dismisses it
  var dismissed = null;
  function showFocusOf(el) {
    var m = el instanceof Element && el !== dismissed ? el.closest("mark.hl") : null;
    if (m) { showFindings(m, [m]); } else { hide(); }
  }

  document.addEventListener("focusin", function (e) {
    dismissed = null;
    showFocusOf(e.target);
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") {
      dismissed = document.activeElement;
      hide();
    }
  });

  // following a link to a highlight focuses it, so its tooltip shows and
  // Tab continues from there
  function focusTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.matches("mark.hl")) { el.focus(); }
  }
  window.addEventListener("hashchange", focusTarget);
  focusTarget();

  document.documentElement.setAttribute("data-ready", "1");
})();
