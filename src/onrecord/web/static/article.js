// The article page: follow a claim to its denials and a denial to its claim by clicking the
// statement (or pressing Enter on it), and highlight every piece of the statement a link
// leads to. Without this script the page still works: the links after each claim and denial
// and in the tooltips are real #s5 links, and CSS :target highlights the first piece.
// Loaded with <script src>: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  var text = document.querySelector(".article-text");
  if (!text) {
    return;
  }
  text.classList.add("js-links");
  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });

  function pieces(id) {
    return text.querySelectorAll('[data-statement="' + CSS.escape(id) + '"]');
  }

  var highlighted = []; // the ids highlighted now

  // Highlight all the pieces of the statements `ids`, and no others.
  function mark(ids) {
    highlighted = ids;
    text.querySelectorAll("mark.linked").forEach(function (el) { el.classList.remove("linked"); });
    ids.forEach(function (id) {
      pieces(id).forEach(function (el) { el.classList.add("linked"); });
    });
  }

  // Go to the statements `ids`: the first in the middle of the screen, all of them
  // highlighted. The address takes the first id, so Back returns. Followed by keyboard, focus
  // moves to it too (opening its tooltip); by mouse it does not, so that no tooltip stays
  // open over the text the reader came to see.
  function follow(ids, byKeyboard) {
    var first = document.getElementById(ids[0]);
    if (!first) {
      return;
    }
    if (location.hash !== "#" + ids[0]) {
      location.hash = ids[0];
    }
    mark(ids);
    if (byKeyboard) {
      first.focus({ preventScroll: true });
    }
    first.scrollIntoView({ block: "center" });
  }

  function linksOf(el) {
    var stmt = el.closest("mark.stmt[data-links]");
    return stmt ? stmt.getAttribute("data-links").split(" ").filter(Boolean) : [];
  }

  // A tap has no hover before it: the first tap on a statement focuses it, opening its
  // tooltip (which holds the same links), and only a tap on a statement already focused
  // follows. A mouse click follows at once, its tooltip having shown on hover.
  var touchedUnfocused = false;
  text.addEventListener("pointerdown", function (event) {
    var stmt = event.target.closest("mark.stmt[data-links]");
    var first = stmt && document.getElementById(stmt.getAttribute("data-statement"));
    touchedUnfocused = event.pointerType === "touch" && !!first && document.activeElement !== first;
  });

  text.addEventListener("click", function (event) {
    if (event.target.closest("a")) {
      return; // a real link: the browser follows it, hashchange highlights
    }
    if (touchedUnfocused) {
      touchedUnfocused = false;
      var stmt = event.target.closest("mark.stmt[data-links]");
      document.getElementById(stmt.getAttribute("data-statement")).focus();
      return;
    }
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) {
      return; // the reader is selecting text, not following a link
    }
    var ids = linksOf(event.target);
    if (ids.length) {
      event.preventDefault();
      follow(ids, false);
    }
  });

  text.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.target.tagName !== "MARK") {
      return;
    }
    var ids = linksOf(event.target);
    if (ids.length) {
      event.preventDefault();
      follow(ids, true);
    }
  });

  // A tooltip opens below the start of its statement; one that would run off the right edge
  // of the window (a statement starting near the end of a line) moves left, just enough, but
  // never past the left edge. (Set through the CSSOM, which the policy allows; a style
  // attribute in the page it would not.)
  function keepTipInside(event) {
    var stmt = event.target.closest && event.target.closest("mark.stmt");
    var tip = stmt && stmt.querySelector(":scope > .tip");
    if (!tip || getComputedStyle(tip).position !== "absolute") {
      return; // none here, or the phone's tooltip, fixed to the foot of the screen
    }
    tip.style.left = "";
    var box = tip.getBoundingClientRect();
    var over = box.right - (document.documentElement.clientWidth - 4);
    if (box.width && over > 0) {
      tip.style.left = -Math.min(over, box.left - 4) + "px";
    }
  }
  text.addEventListener("mouseover", keepTipInside);
  text.addEventListener("focusin", keepTipInside);

  // The statement id in the address, or "" (a malformed escape is no id, not an error).
  function hashId() {
    try {
      return decodeURIComponent(location.hash.slice(1));
    } catch (err) {
      return "";
    }
  }

  function fromAddress() {
    var id = hashId();
    if (id && pieces(id).length) {
      mark([id]);
    }
  }

  window.addEventListener("hashchange", function () {
    // follow() has set the hash to the first of the ids it highlighted: keep them all
    if (highlighted.indexOf(hashId()) < 0) {
      fromAddress();
    }
  });
  fromAddress();
})();
