// DOM builders shared by the emulator's pages (inlined before each page's own script). Text goes
// in as text nodes and attribute values through setAttribute, so nothing a page renders (an
// institution's name, a journal entry, a status message) is ever parsed as HTML: the pages have
// no innerHTML. el(tag, attrs, children): attrs "text" sets the text, "on<event>" adds a
// listener, false/null/undefined values are left out, true is an empty attribute.
window.mxemuDom = (function () {
  "use strict";
  const SVG_NS = "http://www.w3.org/2000/svg";
  function fill(node, attrs, children) {
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of [].concat(children || [])) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  return Object.freeze({
    el: (tag, attrs, children) => fill(document.createElement(tag), attrs, children),
    svg: (tag, attrs, children) => fill(document.createElementNS(SVG_NS, tag), attrs, children),
  });
})();
