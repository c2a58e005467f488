/* HelpMap's page script: quick exit, results into view, the list <-> map link and the page language.
   Fixed text (no data is ever put into it), installed once per browser tab by ui/frame.py.
   No HTML tags anywhere in this file, not even in comments: st.html parses it as HTML first. */
(function () {
  if (window.__helpmapFrame) { return; }
  window.__helpmapFrame = true;

  // One history entry for the whole visit: in-app page changes replace it instead of adding
  // new ones, so after Quick exit the Back button cannot walk back into HelpMap.
  var replaceState = history.replaceState.bind(history);
  history.pushState = function (state, title, url) { return replaceState(state, title, url); };

  function exitUrl() {
    var link = document.querySelector("a.hm-quick-exit");
    var href = link && link.getAttribute("href");
    return /^https?:\/\//i.test(href || "") ? href : "about:blank";
  }
  function blank() {
    try { document.documentElement.innerHTML = ""; } catch (e) {}
    try { window.location.replace("about:blank"); } catch (e) {}
  }
  function quickExit() {
    var url = exitUrl();
    if (window.top === window) { document.documentElement.style.display = "none"; window.location.replace(url); return; }
    // Embedded: take the whole tab away where the host page allows it, else blank this frame.
    try { window.top.location.replace(url); } catch (e) {}
    blank();
  }
  window.helpmapQuickExit = quickExit;

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("a.hm-quick-exit, button.hm-show") : null;
    if (!target) { return; }
    event.preventDefault();
    if (target.classList.contains("hm-quick-exit")) { quickExit(); return; }
    var map = document.querySelector("iframe[title*='helpmap_map']");
    if (map) {
      map.scrollIntoView({ block: "center" });
      map.contentWindow.postMessage({ helpmapFocus: Number(target.getAttribute("data-n")) }, window.location.origin);
    }
  }, true);

  var lastEsc = 0;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEsc < 1500) { quickExit(); }
    lastEsc = now;
  }, true);

  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || !event.data) { return; }
    if (event.data.helpmapQuickExit) { quickExit(); }
    if (event.data.helpmapCard) {
      var card = document.getElementById("hm-card-" + Number(event.data.helpmapCard));
      if (card) {
        document.querySelectorAll(".hm-card.hm-active").forEach(function (c) { c.classList.remove("hm-active"); });
        card.classList.add("hm-active");
        card.scrollIntoView({ block: "nearest" });
      }
    }
  });

  // After a search from the form, bring the result count into view and give it focus (it is
  // also a live region, so screen readers announce it). Each search has its own stamp.
  var seen = null, userMoved = false;
  ["wheel", "touchstart", "keydown"].forEach(function (name) {
    window.addEventListener(name, function () { userMoved = true; }, { capture: true, passive: true });
  });
  function bringResultsIntoView() {
    var count = document.querySelector("[data-hm-search]");
    if (!count) { return; }
    var stamp = count.getAttribute("data-hm-search");
    if (stamp === seen) { return; }
    seen = stamp;
    if (count.getAttribute("data-hm-scroll") !== "1") { return; }
    count.setAttribute("tabindex", "-1");
    count.focus({ preventScroll: true });
    // The cards arrive just after the count: scroll again as the page grows, until the person moves.
    userMoved = false;
    [0, 150, 400, 900, 1600].forEach(function (delay) {
      setTimeout(function () {
        var current = document.querySelector("[data-hm-search='" + stamp + "']");
        if (current && !userMoved) { current.scrollIntoView({ block: "start" }); }
      }, delay);
    });
  }
  // The crisis bar is one line on a phone: its list of help lines starts closed there.
  function compactCrisisBar() {
    if (!window.matchMedia("(max-width: 640px)").matches) { return; }
    document.querySelectorAll("details.hm-more:not([data-hm-ready])").forEach(function (details) {
      details.setAttribute("data-hm-ready", "1");
      details.removeAttribute("open");
    });
  }
  // Streamlit's page says lang="en" whatever the words: the crisis bar carries the page's real
  // language (data-hm-lang, set by the Python side), so screen readers and the browser's own
  // translation and hyphenation know it. Every HelpMap language is written left to right.
  function followLanguage() {
    var bar = document.querySelector("[data-hm-lang]");
    var lang = bar && bar.getAttribute("data-hm-lang");
    if (lang && /^[a-z]{2,3}$/.test(lang) && document.documentElement.lang !== lang) {
      document.documentElement.lang = lang;
      document.documentElement.dir = "ltr";
    }
    // The switch names each language in itself: mark each option with its language (WCAG 3.1.2).
    var codes = ((bar && bar.getAttribute("data-hm-languages")) || "").split(" ");
    document.querySelectorAll(".st-key-language-switch [role=radio]").forEach(function (option, index) {
      var code = codes[index];
      if (code && /^[a-z]{2,3}$/.test(code) && option.getAttribute("lang") !== code) {
        option.setAttribute("lang", code);
      }
    });
  }
  followLanguage();
  new MutationObserver(followLanguage).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-hm-lang"] });
  compactCrisisBar();
  new MutationObserver(compactCrisisBar).observe(document.body, { childList: true, subtree: true });
  new MutationObserver(bringResultsIntoView).observe(document.body, { childList: true, subtree: true });
})();
