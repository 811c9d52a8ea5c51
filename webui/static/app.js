/* Newsfacet progressive enhancement: the page works fully without this file.
   - autocomplete for the search box (/api/suggest)
   - live filtering of facet values (/api/facets/<name>?prefix=…)
   - facet checkboxes that apply on change (the form's "Apply" button does it without JS),
     with focus returned to the same checkbox on the new page
   - the filter sidebar kept open on wide screens
   DOM is built with textContent only: nothing from the server is parsed as HTML. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  function fetchJSON(url, signal) {
    return fetch(url, { headers: { Accept: "application/json" }, signal: signal, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  /* ---------------------------------------------------------- filters sidebar */
  function setupFilters() {
    var filters = document.getElementById("filters");
    if (!filters || !window.matchMedia) { return; }
    var wide = window.matchMedia("(min-width: 52.01rem)");
    function apply() { if (wide.matches) { filters.open = true; } }
    apply();
    if (wide.addEventListener) { wide.addEventListener("change", apply); }
  }

  /* ---------------------------------------------------------- autocomplete */
  function setupSuggest() {
    var input = document.getElementById("q");
    var list = document.getElementById("suggestions");
    if (!input || !list) { return; }
    var form = input.form;
    var items = [], active = -1, controller = null;
    /* the query fields that name a facet ("person", "people", …), from the page: the server's registry */
    var fields = (input.getAttribute("data-fields") || "").split(/\s+/).filter(Boolean);
    var fieldPrefix = fields.length ? new RegExp("(" + fields.join("|") + "):", "gi") : null;

    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(item) {
      input.value = item.q;
      close();
      form.submit();
    }

    function highlight(index) {
      var nodes = list.children;
      for (var i = 0; i < nodes.length; i++) {
        nodes[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      active = index;
      if (index >= 0) { input.setAttribute("aria-activedescendant", nodes[index].id); }
    }

    function render(data) {
      list.textContent = "";
      items = data.suggestions || [];
      active = -1;
      if (!items.length || document.activeElement !== input) { close(); return; }
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = "suggestion-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var text = document.createElement("span");
        text.textContent = item.text;
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = item.label || (item.kind === "term" ? "word" : item.kind);
        li.appendChild(text);
        li.appendChild(kind);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    var lookup = debounce(function () {
      var value = input.value;
      /* the server completes the last words typed ("north ko", "kamala h"): ask once there are two letters */
      var bare = fieldPrefix ? value.replace(fieldPrefix, "") : value;
      if (bare.replace(/[-("\s]/g, "").length < 2) { close(); return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      /* the search's other fields ride along: its filters narrow the words suggested (a language's) */
      var params = new URLSearchParams(new FormData(form));
      params.delete("q");
      var rest = params.toString();
      fetchJSON("/api/suggest?q=" + encodeURIComponent(value) + (rest ? "&" + rest : ""),
                controller && controller.signal)
        .then(function (data) { if (input.value === value) { render(data); } })
        .catch(function () { /* offline or aborted: the box still works */ });
    }, 120);

    input.addEventListener("input", lookup);
    input.addEventListener("blur", function () { setTimeout(close, 100); });
    input.addEventListener("keydown", function (e) {
      if (list.hidden || !items.length) { return; }
      if (e.key === "ArrowDown") { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp") { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); choose(items[active]); }
      else if (e.key === "Escape") { close(); }
    });
  }

  /* ---------------------------------------------------------- facet filter boxes */
  var counter = 0;
  function valueItem(v, facetName) {
    var li = document.createElement("li");
    li.className = "value" + (v.selected ? " selected" : "");
    var id = "facet-" + facetName + "-live-" + (++counter);
    var box = document.createElement("input");
    box.type = "checkbox";
    box.id = id;
    box.name = facetName;
    box.value = v.value;
    box.checked = !!v.selected;
    box.setAttribute("data-href", v.toggle_url);
    var label = document.createElement("label");
    label.htmlFor = id;
    var name = document.createElement("span");
    name.className = "name";
    name.dir = "auto";
    name.textContent = v.label || v.value;
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = Number(v.count).toLocaleString("en");
    label.appendChild(name);
    label.appendChild(document.createTextNode(" "));
    label.appendChild(count);
    if (v.selected) {
      var x = document.createElement("span");
      x.className = "remove";
      x.setAttribute("aria-hidden", "true");
      x.textContent = "×";
      label.appendChild(x);
    }
    li.appendChild(box);
    li.appendChild(label);
    return li;
  }

  /* ---------------------------------------------------------- facet checkboxes */
  var FOCUS_KEY = "newsfacet-focus";

  function setupFacetValues() {
    document.addEventListener("change", function (e) {
      var box = e.target;
      if (!box.matches || !box.matches(".facet-values input[type=checkbox]")) { return; }
      var href = box.getAttribute("data-href");
      if (!href) { return; }
      try { sessionStorage.setItem(FOCUS_KEY, JSON.stringify({ name: box.name, value: box.value })); }
      catch (err) { /* storage off: focus simply starts at the top */ }
      window.location.assign(href);
    });
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(FOCUS_KEY) || "null"); sessionStorage.removeItem(FOCUS_KEY); }
    catch (err) { saved = null; }
    if (!saved) { return; }
    var boxes = document.querySelectorAll(".facet-values input[type=checkbox]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].name === saved.name && boxes[i].value === saved.value) {
        var details = boxes[i].closest("details");
        if (details) { details.open = true; }
        boxes[i].focus();
        return;
      }
    }
  }

  function setupFacetFilters() {
    var forms = document.querySelectorAll("form.facet-filter");
    Array.prototype.forEach.call(forms, function (form) {
      var input = form.querySelector("input[name=prefix]");
      var section = form.closest(".facet");
      var list = section && section.querySelector("ul.values");
      var facetName = list && list.getAttribute("data-facet");
      if (!input || !list) { return; }
      var original = list.cloneNode(true);
      var controller = null;
      var update = debounce(function () {
        var prefix = input.value.trim();
        if (!prefix) { list.replaceWith(original.cloneNode(true)); list = section.querySelector("ul.values"); return; }
        var params = new URLSearchParams();
        Array.prototype.forEach.call(form.querySelectorAll("input[type=hidden]"), function (h) {
          if (h.name !== "more" && h.name !== "page") { params.append(h.name, h.value); }
        });
        params.set("prefix", prefix);
        params.set("limit", "30");
        if (controller) { controller.abort(); }
        controller = window.AbortController ? new AbortController() : null;
        fetchJSON(form.getAttribute("data-api") + "?" + params.toString(), controller && controller.signal)
          .then(function (data) {
            if (input.value.trim() !== prefix) { return; }
            var fresh = document.createElement("ul");
            fresh.className = "values";
            fresh.setAttribute("data-facet", data.name);
            (data.values || []).forEach(function (v) { fresh.appendChild(valueItem(v, facetName)); });
            if (!data.values || !data.values.length) {
              var none = document.createElement("li");
              none.className = "none";
              none.textContent = "No value starts with “" + prefix + "”.";
              fresh.appendChild(none);
            }
            list.replaceWith(fresh);
            list = fresh;
          })
          .catch(function () { /* the form still submits without JS */ });
      }, 150);
      input.addEventListener("input", update);
    });
  }

  function start() {
    setupFilters();
    setupSuggest();
    setupFacetFilters();
    setupFacetValues();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
