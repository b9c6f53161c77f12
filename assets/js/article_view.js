// What makes the article clickable: a click on a span tells Python which span, a text selection tells
// Python its character offsets in the article, and keys act on the picked span.
// The article itself is drawn by st.html beside this component (components/ui/article_view.py), so
// the text is on screen as soon as the page's message arrives; this module only listens, on the
// keyed container that holds both, which outlives every redraw of the text.
export default function (component) {
  const { data, setTriggerValue, parentElement } = component;
  const holder = parentElement.closest("." + data.holder);
  if (!holder) return;
  const article = () => holder.querySelector(".article");

  // Python indexes strings by code point, JavaScript by UTF-16 unit: count code points.
  const codePoints = (text) => Array.from(text).length;
  const inBadge = (node) => node.parentElement && node.parentElement.closest(".ent-label, .quote-speaker");

  function articleOffset(container, offset) {
    const element = container.nodeType === Node.TEXT_NODE ? container.parentElement : container;
    const paragraph = element && element.closest("p[data-start]");
    if (!paragraph) return null;
    // An element boundary (container, offset) is the start of its child at that index.
    let stopAt = null;
    if (container.nodeType !== Node.TEXT_NODE) {
      stopAt = container.childNodes[offset] || null;
    }
    let total = parseInt(paragraph.dataset.start, 10);
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (stopAt && (stopAt === node || stopAt.contains(node))) return total;
      if (node === container) return inBadge(node) ? total : total + codePoints(node.data.slice(0, offset));
      if (!inBadge(node)) total += codePoints(node.data);
    }
    return total;
  }

  // Handlers are properties, not listeners: each render replaces the last one's.
  holder.onmouseup = () => {
    const selection = window.getSelection();
    const root = article();
    if (!root || !selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!root.contains(range.commonAncestorContainer)) return;
    const start = articleOffset(range.startContainer, range.startOffset);
    const end = articleOffset(range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    setTriggerValue("selected", { start: start, end: end });
  };

  holder.onclick = (event) => {
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    const root = article();
    const span = event.target.closest("[data-span-id]");
    if (root && span && root.contains(span)) setTriggerValue("span_clicked", span.dataset.spanId);
  };
  // The text is on screen a moment before these handlers are: tests and benchmarks wait for this mark
  // (tests/servers.py ARTICLE_LISTENING) before they click, and the benchmark reports when it came.
  holder.dataset.listening = "true";

  // Keyboard shortcuts on the picked span (components/ui/keyboard.py): listened for on the whole page,
  // in the capture phase so that Streamlit's own "r" (rerun) does not take them, and never while the
  // reader types in a field or holds a modifier. Replaced on each render to see the current pick.
  const shortcut = /^([1-9]|r|u|n|Escape)$/;
  const typing = (element) =>
    element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  if (window.__articleShortcuts) window.removeEventListener("keydown", window.__articleShortcuts, true);
  const shortcuts = (event) => {
    if (!holder.isConnected) {
      // The article left the page (another page of the app): its keys go back to the page.
      window.removeEventListener("keydown", shortcuts, true);
      return;
    }
    if (!data.picked || event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    if (!shortcut.test(event.key) || typing(document.activeElement)) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    setTriggerValue("key", event.key);
  };
  window.__articleShortcuts = shortcuts;
  window.addEventListener("keydown", shortcuts, true);
}
