"""An accessibility audit that runs in the real browser, for any page the browser has open.

``audit(browser, url)`` opens the page and returns ``{check: [problem, ...]}`` for every check in
``CHECKS`` (an empty list is a pass). The self-tests in ``test_accessibility.py`` show a bad page
failing every check, a subtler one failing the finer points, and a good page passing them all.
The checks:

- ``landmarks``: one ``<main>``, one banner (``<header>``), at least one ``<nav>`` and a distinct
  label on each when there are several; no visible text outside a landmark.
- ``skip_link``: the first focusable element is a link to ``<main>``; pressing Enter on it moves
  the focus there and the next Tab lands inside (or after) it (real key presses).
- ``images``: every ``<img>`` has ``alt`` (``alt=""`` for decoration); ``role=img`` elements and
  canvases have a text alternative (or are ``aria-hidden``), and a canvas that takes the focus (a
  drawing pad) says how to use it with the keyboard (``aria-describedby``).
- ``names``: every form control has a label (``label[for]``, a wrapping label, ``aria-label`` or
  ``aria-labelledby``); buttons, links and summaries have a non-empty accessible name.
- ``lang``: ``<html lang>`` is set and is the UI language.
- ``headings``: there is an ``h1``, the first heading is one, and no level is skipped going down.
- ``ids``: ids are unique, and ``for``/``aria-*`` references point at existing ids.
- ``contrast``: WCAG contrast of every visible text (text nodes, form values, ``::before``/
  ``::after`` text) against its effective background: 4.5:1, or 3:1 for large text (24px, or
  18.66px bold). Text over a background image, and disabled controls, are not measured.
- ``focus_visible``: Tab through the page with real key presses; every element that gets the focus
  is on screen and shows an outline or box-shadow it does not have unfocused, with at least 3:1
  against the background around it.
- ``focus_order``: no positive ``tabindex``; each Tab moves forward in document order; every
  element that should be reachable by Tab is reached.
- ``focus_trap``: Tab always leaves an element (an editor may keep Tab for indenting when its
  description tells how to leave it, and Escape then Tab does).
- ``viewport``: ``<meta name=viewport>`` with ``width=device-width`` that allows zooming.
- ``phone_scroll``: at 375x740 (mobile emulation) the page does not scroll sideways.
- ``phone_nav``: every item of the header navigation is on screen at that size, or a menu button
  (``aria-expanded`` + ``aria-controls``) shows them.
- ``phone_targets``: the controls in the header and ``<main>`` are at least 24x24 CSS px (WCAG 2.5.8:
  links inside a sentence are exempt, a checkbox or radio counts with its label, and a smaller
  target with 24px of room around it passes).
- ``axe``: axe-core (vendored by ``scripts/vendor_assets.py``, never linked from a page) injected
  into the page, with the WCAG 2.0-2.2 A and AA rules and the best practices (``AXE_TAGS``); each
  violation as ``rule-id (impact) target: help``. At phone size it runs again for the rules that
  depend on the layout (``AXE_PHONE_RULES``).

axe does not press keys, so the keyboard and phone checks stay ours. Our page checks stay too: each
asks for something axe does not (a ``<nav>``, the skip link first and working, the UI language,
an ``h1`` first, labels that are more than a placeholder, canvases described, any duplicate id,
the contrast of ``::before``/``::after`` text), so axe covers none of them fully.
"""

from __future__ import annotations

import functools
import json
import os
import time
from pathlib import Path

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from learningpaths.runtime.assets import AXE_JS

PAGE_CHECKS = ("landmarks", "images", "names", "lang", "headings", "ids", "contrast", "axe")
KEYBOARD_CHECKS = ("skip_link", "focus_visible", "focus_order", "focus_trap")
PHONE_CHECKS = ("viewport", "phone_scroll", "phone_nav", "phone_targets")
CHECKS = PAGE_CHECKS + KEYBOARD_CHECKS + PHONE_CHECKS
PHONE = {"width": 375, "height": 740, "deviceScaleFactor": 2, "mobile": True}

# Helpers shared by the scripts below (defined on window once per document).
LIB = r"""
if (!window.__a11y) {
  const A = window.__a11y = {};
  A.sel = function (el) {
    if (!el || el.nodeType !== 1) return String(el);
    const parts = [];
    for (let n = el; n && n.nodeType === 1 && parts.length < 4; n = n.parentElement) {
      let p = n.localName;
      if (n.id) { parts.unshift(p + '#' + CSS.escape(n.id)); break; }
      p += [...n.classList].slice(0, 2).map((c) => '.' + CSS.escape(c)).join('');
      const same = n.parentElement ? [...n.parentElement.children].filter((c) => c.localName === n.localName) : [];
      if (same.length > 1) p += ':nth-of-type(' + (same.indexOf(n) + 1) + ')';
      parts.unshift(p);
    }
    return parts.join(' > ');
  };
  A.rendered = (el) => el.checkVisibility({visibilityProperty: true});
  // Rendered but clipped to (almost) nothing: the .visually-hidden pattern, KaTeX's MathML copy.
  A.clipped = function (el) {
    for (let n = el; n && n !== document.documentElement; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.overflow === 'visible' && cs.clip === 'auto' && cs.clipPath === 'none') continue;
      const r = n.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) return true;
    }
    return false;
  };
  A.rgba = function (text) {
    const m = /rgba?\(([^)]+)\)/.exec(text || '');
    if (!m) return null;
    const v = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
    return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1];
  };
  A.over = (top, bottom) => {  // top (with alpha) composited over an opaque bottom
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  A.luminance = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  A.ratio = (a, b) => {
    const [l1, l2] = [A.luminance(a), A.luminance(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  // The opaque colour behind el (its own background included), or null over a background image.
  // Also returns the product of the opacities between el and that background.
  A.background = function (el) {
    const layers = [];
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) {
      const cs = getComputedStyle(n);
      if (cs.backgroundImage && cs.backgroundImage !== 'none') return null;
      const bg = A.rgba(cs.backgroundColor);
      if (bg && bg[3] > 0) layers.push(bg);
      if (bg && bg[3] >= 1) break;
      opacity *= parseFloat(cs.opacity);
    }
    let colour = [255, 255, 255, 1];  // the canvas
    for (const layer of layers.reverse()) colour = A.over(layer, colour);
    return {colour, opacity};
  };
  A.disabled = (el) => !!el.closest(':disabled, [aria-disabled="true"]');
  A.isLabelable = (el) => el.matches('input:not([type=hidden]):not([type=submit]):not([type=button])'
    + ':not([type=reset]):not([type=image]), select, textarea, [role=slider], [role=checkbox], [role=radio],'
    + '[role=textbox], [role=combobox], [role=spinbutton], [role=switch], [role=listbox]');
  A.isButton = (el) => el.matches('button, input[type=submit], input[type=button], input[type=reset],'
    + 'input[type=image], [role=button], summary');
  A.isLink = (el) => el.matches('a[href], area[href], [role=link]');
  // Text of a subtree as an accessible name computes it (display:none and aria-hidden left out).
  A.text = function (node, skip) {
    if (node.nodeType === 3) return node.textContent;
    if (node.nodeType !== 1 || node === skip) return '';
    const el = node;
    if (el.getAttribute('aria-hidden') === 'true' || !A.rendered(el)) return '';
    const label = el.getAttribute('aria-label');
    if (label && label.trim() && el !== skip) return ' ' + label + ' ';
    if (el.localName === 'img') return ' ' + (el.getAttribute('alt') || '') + ' ';
    if (el.matches('input, select, textarea')) return ' ' + (el.value || '') + ' ';
    const pseudo = (which) => {
      const c = getComputedStyle(el, which).content;
      return c && c.startsWith('"') ? c.slice(1, -1) : '';
    };
    let s = pseudo('::before');
    for (const child of el.childNodes) s += A.text(child, skip);
    s += pseudo('::after');
    const block = getComputedStyle(el).display;
    return block === 'inline' ? s : ' ' + s + ' ';
  };
  A.byIds = (ids) => (ids || '').split(/\s+/).filter(Boolean).map((id) => document.getElementById(id));
  A.name = function (el) {
    const by = el.getAttribute('aria-labelledby');
    if (by) {
      const t = A.byIds(by).filter(Boolean).map((n) => A.text(n)).join(' ').replace(/\s+/g, ' ').trim();
      if (t) return t;
    }
    const label = el.getAttribute('aria-label');
    if (label && label.trim()) return label.trim();
    if (A.isLabelable(el)) {
      return [...(el.labels || [])].map((l) => A.text(l, el)).join(' ').replace(/\s+/g, ' ').trim();
    }
    if (el.localName === 'img') return (el.getAttribute('alt') || '').trim();
    if (el.matches('input[type=submit], input[type=button], input[type=reset]')) {
      return el.value || (el.type === 'submit' ? 'Submit' : el.type === 'reset' ? 'Reset' : '');
    }
    if (el.matches('input[type=image]')) return (el.getAttribute('alt') || '').trim();
    let t = A.text(el).replace(/\s+/g, ' ').trim();
    if (!t) t = (el.getAttribute('title') || '').trim();
    return t;
  };
  // Elements that Tab should reach, in document order (one radio per group).
  A.tabbables = function () {
    const radios = new Set();
    return [...document.querySelectorAll('a[href], area[href], button, input, select, textarea, summary, iframe,'
      + '[tabindex], [contenteditable=""], [contenteditable=true], audio[controls], video[controls]')].filter((el) => {
      if (el.tabIndex < 0 || el.disabled || (el.type === 'hidden')) return false;
      if (el.getAttribute('tabindex') !== null && parseInt(el.getAttribute('tabindex'), 10) < 0) return false;
      if (!A.rendered(el) || el.closest('[inert]')) return false;
      if (el.localName === 'summary' && el.parentElement.localName !== 'details') return false;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0 && getComputedStyle(el).display !== 'contents') return false;
      if (el.type === 'radio' && el.name) {
        const key = (el.form ? 'f' : 'd') + ':' + el.name;
        if (radios.has(key)) return false;
        const group = [...(el.form || document).querySelectorAll('input[type=radio]')].filter((r2) => r2.name === el.name);
        const checked = group.find((r2) => r2.checked);
        if (checked && checked !== el) return false;
        radios.add(key);
      }
      return true;
    });
  };
  A.landmarkOf = function (el) {
    return el.closest('main, [role=main], nav, [role=navigation], aside, [role=complementary], '
      + '[role=search], [role=region][aria-label], [role=region][aria-labelledby], '
      + 'section[aria-label], section[aria-labelledby], form[aria-label], form[aria-labelledby], '
      + 'body > header, [role=banner], body > footer, [role=contentinfo]');
  };
}
"""

PAGE_AUDIT = (
    LIB
    + r"""
const A = window.__a11y;
const lang = arguments[0];
const out = {landmarks: [], images: [], names: [], lang: [], headings: [], ids: [], contrast: []};
const all = [...document.body.querySelectorAll('*')];
const shown = (el) => A.rendered(el) && !el.closest('[aria-hidden="true"]');

// Landmarks
const mains = all.filter((el) => el.matches('main, [role=main]') && A.rendered(el));
if (mains.length !== 1) out.landmarks.push(`${mains.length} <main> elements (one is needed)`);
const banners = all.filter((el) => (el.matches('[role=banner]') || (el.localName === 'header'
  && !el.parentElement.closest('article, aside, main, nav, section'))) && A.rendered(el));
if (banners.length !== 1) out.landmarks.push(`${banners.length} page <header>s (banner landmarks; one is needed)`);
const navs = all.filter((el) => el.matches('nav, [role=navigation]') && A.rendered(el));
if (!navs.length) out.landmarks.push('no <nav>');
if (navs.length > 1) {
  const labels = navs.map((n) => (n.getAttribute('aria-label') || A.byIds(n.getAttribute('aria-labelledby'))
    .filter(Boolean).map((x) => x.textContent).join(' ')).trim());
  navs.forEach((n, i) => {
    if (!labels[i]) out.landmarks.push(`${A.sel(n)}: one of ${navs.length} <nav>s without aria-label`);
    else if (labels.filter((x) => x === labels[i]).length > 1) out.landmarks.push(`${A.sel(n)}: two <nav>s are labelled "${labels[i]}"`);
  });
}
const first = A.tabbables()[0];
const main = mains[0];
if (!first) out.landmarks.push('nothing on the page can take the focus');
for (const node of (function* () {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) yield walker.currentNode;
})()) {
  const el = node.parentElement;
  if (!node.textContent.trim() || !el || el.closest('script, style, template, noscript')) continue;
  if (!A.rendered(el) || A.clipped(el) || A.landmarkOf(el)) continue;
  if (first && first.contains(el)) continue;  // the skip link comes before the landmarks
  out.landmarks.push(`${A.sel(el)}: text outside any landmark: "${node.textContent.trim().slice(0, 40)}"`);
}
window.__a11y.skipTarget = null;
if (first) {
  const href = first.getAttribute('href') || '';
  const target = href.startsWith('#') ? document.getElementById(decodeURIComponent(href.slice(1))) : null;
  if (!target || !main || !(target === main || main.contains(target))) {
    out.landmarks.push(`the first focusable element ${A.sel(first)} is not a skip link to <main>`);
  } else window.__a11y.skipTarget = target;
}

// Images and other graphics
for (const el of all) {
  if (!shown(el)) continue;
  if (el.localName === 'img' && !el.hasAttribute('alt') && !['presentation', 'none'].includes(el.getAttribute('role'))) {
    out.images.push(`${A.sel(el)}: <img src="${(el.getAttribute('src') || '').slice(0, 60)}"> has no alt`);
  } else if ((el.getAttribute('role') === 'img' || el.localName === 'canvas') && !A.name(el)) {
    out.images.push(`${A.sel(el)}: <${el.localName}${el.getAttribute('role') ? ' role=' + el.getAttribute('role') : ''}> has no text alternative`);
  } else if (el.localName === 'canvas' && el.tabIndex >= 0
             && !A.byIds(el.getAttribute('aria-describedby')).some((n) => n && n.textContent.trim())) {
    out.images.push(`${A.sel(el)}: a <canvas> that takes the focus does not describe how to use it (aria-describedby)`);
  } else if (el.localName === 'svg' && el.getAttribute('role') === 'img' && !A.name(el) && !el.querySelector('title')) {
    out.images.push(`${A.sel(el)}: <svg role=img> has no text alternative`);
  }
}

// Names of controls, buttons and links
for (const el of all) {
  if (!A.rendered(el) || el.closest('[inert]')) continue;
  if (A.isLabelable(el)) {
    if (el.closest('[aria-hidden="true"]') && el.tabIndex < 0) continue;
    if (!A.name(el)) out.names.push(`${A.sel(el)}: <${el.localName}${el.type ? ' type=' + el.type : ''}> has no label`);
  } else if (A.isButton(el) || A.isLink(el)) {
    if (!A.name(el)) out.names.push(`${A.sel(el)}: ${A.isButton(el) ? 'button' : 'link'} with no accessible name`);
  }
}

// Language
const htmlLang = document.documentElement.getAttribute('lang') || '';
if (!/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/.test(htmlLang)) out.lang.push(`<html lang="${htmlLang}"> is not a language tag`);
else if (lang && htmlLang.split('-')[0].toLowerCase() !== lang.split('-')[0].toLowerCase()) {
  out.lang.push(`<html lang="${htmlLang}">, but the UI language is ${lang}`);
}

// Headings
let previous = 0;
for (const el of all) {
  let level = /^h([1-6])$/.exec(el.localName);
  level = level ? +level[1] : (el.getAttribute('role') === 'heading' ? +(el.getAttribute('aria-level') || 2) : 0);
  if (!level || !A.rendered(el) || el.closest('[aria-hidden="true"]')) continue;
  if (level > previous + 1) {
    out.headings.push(`${A.sel(el)}: h${level} "${el.textContent.trim().slice(0, 40)}" follows ${previous ? 'h' + previous : 'the start of the page'}`);
  }
  previous = level;
}
if (!all.some((el) => el.localName === 'h1' && A.rendered(el))) out.headings.push('no <h1>');

// Unique ids and references to ids
const seen = new Map();
for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
for (const [id, n] of seen) if (n > 1) out.ids.push(`id "${id}" is used ${n} times`);
for (const el of all) {
  for (const attr of ['aria-labelledby', 'aria-describedby', 'aria-controls', 'aria-owns', 'for']) {
    if (!el.hasAttribute(attr) || (attr === 'for' && el.localName !== 'label')) continue;
    for (const id of el.getAttribute(attr).split(/\s+/).filter(Boolean)) {
      if (!document.getElementById(id)) out.ids.push(`${A.sel(el)}: ${attr}="${id}" points at no element`);
    }
  }
}

// Contrast
const measured = new Set();
function measure(el, colourText, what) {
  if (A.disabled(el)) return;
  const r = el.getBoundingClientRect();
  if (r.right <= 0 || r.bottom <= 0 || r.width < 1 || r.height < 1) return;  // off screen (a skip link)
  const bg = A.background(el);
  if (!bg) return;  // over a background image
  const fg = A.rgba(colourText);
  if (!fg || fg[3] === 0) return;
  const cs = getComputedStyle(el);
  const fgOpaque = A.over([fg[0], fg[1], fg[2], fg[3] * bg.opacity], bg.colour);
  const ratio = A.ratio(fgOpaque, bg.colour);
  const size = parseFloat(cs.fontSize);
  const large = size >= 24 || (size >= 18.66 && parseInt(cs.fontWeight, 10) >= 700);
  const needed = large ? 3 : 4.5;
  if (ratio < needed - 0.005) {
    const key = A.sel(el) + what;
    if (measured.has(key)) return;
    measured.add(key);
    const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
    out.contrast.push(`${A.sel(el)}${what}: ${ratio.toFixed(2)}:1 < ${needed}:1 (${hex(fgOpaque)} on ${hex(bg.colour)}, ${size}px)`);
  }
}
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  const el = node.parentElement;
  if (!node.textContent.trim() || !el || el.closest('script, style, template, noscript, option')) continue;
  if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true}) || A.clipped(el)) continue;
  measure(el, getComputedStyle(el).color, '');
}
for (const el of all) {
  if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true}) || A.clipped(el)) continue;
  if (el.matches('select, textarea, input:not([type=hidden]):not([type=range]):not([type=checkbox]):not([type=radio]):not([type=color])')
      && (el.value || el.localName === 'select')) measure(el, getComputedStyle(el).color, ' (its value)');
  for (const which of ['::before', '::after']) {
    const ps = getComputedStyle(el, which);
    if (ps.content && ps.content.startsWith('"') && ps.content.slice(1, -1).trim() && ps.display !== 'none') {
      measure(el, ps.color, which);
    }
  }
}
for (const k of Object.keys(out)) out[k] = out[k].slice(0, 40);
return out;
"""
)

FOCUS_START = (
    LIB
    + r"""
const A = window.__a11y;
const problems = [];
for (const el of document.querySelectorAll('[tabindex]')) {
  if (parseInt(el.getAttribute('tabindex'), 10) > 0) problems.push(`${A.sel(el)}: tabindex="${el.getAttribute('tabindex')}" (a positive tabindex changes the order)`);
}
A.expected = A.tabbables();
A.visited = [];  // one record per element that got the focus, in order
A.prev = null;
// Every focus change is recorded as it happens, with the element's look while it has the focus.
A.record = function (el) {
  const start = document.getElementById('__a11y_start');
  if (el === start) return;
  if (start) start.remove();
  if (el === A.prev) return;
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  const doc = document.documentElement;
  const info = {sel: A.sel(el), again: A.visited.some((v) => v.el === el),
    backwards: !!(A.prev && A.prev.isConnected && (A.prev.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING)
                  && !A.prev.contains(el)),
    // On the page (the browser scrolls it into view), big enough to see, not hidden or clipped away.
    onscreen: r.width >= 2 && r.height >= 2 && r.right + scrollX > 0 && r.bottom + scrollY > 0
              && r.left + scrollX < doc.scrollWidth && r.top + scrollY < doc.scrollHeight
              && el.checkVisibility({visibilityProperty: true, opacityProperty: true}) && !A.clipped(el),
    size: `${Math.round(r.width)}x${Math.round(r.height)} at ${Math.round(r.left + scrollX)},${Math.round(r.top + scrollY)}`,
    description: A.byIds(el.getAttribute('aria-describedby')).filter(Boolean).map((n) => n.textContent).join(' ')};
  if (!info.again) {
    A.visited.push({el, info, focused: {outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth,
      outlineColor: cs.outlineColor, outlineOffset: cs.outlineOffset, boxShadow: cs.boxShadow}});
  }
  A.log.push(info);
  A.prev = el;
};
A.log = [];
if (!A.listening) {
  document.addEventListener('focusin', (e) => A.record(e.target), true);
  A.listening = true;
}
window.scrollTo(0, 0);
// Right after loading nothing has the focus and Tab starts at the top, as for a visitor. Otherwise
// (autofocus, or a second walk) start from a marker at the top of <body>.
const active = document.activeElement;
if (!arguments[0] && (!active || active === document.body)) return problems;
let start = document.getElementById('__a11y_start');
if (!start) {
  start = document.createElement('span');
  start.id = '__a11y_start';
  start.tabIndex = -1;
  document.body.prepend(start);
}
start.focus({preventScroll: true});
return problems;
"""
)

# What happened since record ``arguments[0]``, and where the focus is now.
FOCUS_READ = r"""
const A = window.__a11y;
const el = document.activeElement;
return {records: A.log.slice(arguments[0]),
        left: !el || el === document.body || el === document.documentElement || !document.hasFocus(),
        stayed: !!el && el === A.prev};
"""

# Once the walk is over (nothing focused): compare each visited element's focused look with its
# unfocused look, and check what Tab should have reached.
FOCUS_END = r"""
const A = window.__a11y;
if (document.activeElement && document.activeElement !== document.body) document.activeElement.blur();
const visible = [], order = [];
const colours = (shadow) => (shadow.match(/rgba?\([^)]+\)/g) || []).map(A.rgba);
for (const v of A.visited) {
  if (!v.el.isConnected) continue;
  const now = getComputedStyle(v.el);
  const f = v.focused;
  const outline = f.outlineStyle !== 'none' && parseFloat(f.outlineWidth) > 0 && A.rgba(f.outlineColor)[3] > 0;
  const outlineNew = outline && (now.outlineStyle === 'none' || parseFloat(now.outlineWidth) === 0
    || now.outlineColor !== f.outlineColor || now.outlineWidth !== f.outlineWidth);
  const shadowNew = f.boxShadow !== 'none' && f.boxShadow !== now.boxShadow;
  if (!outlineNew && !shadowNew) {
    visible.push(`${v.info.sel}: no visible focus indicator (outline ${f.outlineStyle} ${f.outlineWidth}, box-shadow ${f.boxShadow})`);
    continue;
  }
  // The indicator against what is around it: outside the element unless the outline is inset.
  const around = (outline && parseFloat(f.outlineOffset) < 0) ? A.background(v.el) : A.background(v.el.parentElement);
  if (!around) continue;
  const inks = [];
  if (outlineNew) inks.push(A.rgba(f.outlineColor));
  if (shadowNew) inks.push(...colours(f.boxShadow));
  const best = Math.max(...inks.filter(Boolean).map((c) => A.ratio(A.over(c, around.colour), around.colour)));
  if (best < 3) visible.push(`${v.info.sel}: focus indicator contrast ${best.toFixed(2)}:1 < 3:1 against the background`);
}
const reached = new Set(A.visited.map((v) => v.el));
for (const el of A.expected) {
  if (el.isConnected && A.rendered(el) && !reached.has(el) && !el.closest('[hidden], [inert]')) {
    order.push(`${A.sel(el)}: never reached with Tab`);
  }
}
return {visible, order};
"""

PHONE_AUDIT = (
    LIB
    + r"""
const A = window.__a11y;
const afterMenu = arguments[0];
const out = {viewport: [], phone_scroll: [], phone_nav: [], phone_targets: [], menu: null};
const meta = document.querySelector('meta[name=viewport]');
const content = meta ? meta.getAttribute('content').replace(/\s/g, '').toLowerCase() : '';
if (!meta) out.viewport.push('no <meta name="viewport">');
else {
  if (!/(^|,)width=device-width(,|$)/.test(content)) out.viewport.push(`viewport "${content}" lacks width=device-width`);
  if (/user-scalable=(no|0)/.test(content)) out.viewport.push(`viewport "${content}" forbids zooming`);
  const max = /maximum-scale=([\d.]+)/.exec(content);
  if (max && parseFloat(max[1]) < 2) out.viewport.push(`viewport "${content}" limits zooming`);
}
// A page wider than the phone either scrolls sideways or (mobile browsers) is zoomed out to fit.
const width = screen.width;
const wide = Math.max(document.documentElement.scrollWidth, window.innerWidth);
if (wide > width + 1) {
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!A.rendered(el) || culprits.some((c) => c.contains(el))) continue;
    const r = el.getBoundingClientRect();
    if (r.right <= width + 1 || r.width === 0) continue;
    // A scrolling box holds its content, but not absolutely positioned content unless it is positioned.
    const positioned = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
    let held = false;
    for (let p = el.parentElement; p && p !== document.body && !held; p = p.parentElement) {
      const ps = getComputedStyle(p);
      held = ps.overflowX !== 'visible' && (!positioned || ps.position !== 'static');
    }
    if (!held) culprits.push(el);
  }
  const names = culprits.slice(0, 5).map((el) => `${A.sel(el)} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
  out.phone_scroll.push(`the page is ${wide}px wide on a ${width}px phone: ${names.join(', ')}`);
}
const header = document.querySelector('body > header, [role=banner]');
const items = header ? [...header.querySelectorAll('nav a[href], nav button, nav select, nav input:not([type=hidden])')] : [];
const off = items.filter((el) => {
  const r = el.getBoundingClientRect();
  return !A.rendered(el) || r.width < 1 || r.height < 1 || r.left < -1 || r.right > width + 1;
});
if (off.length) {
  const menu = header.querySelector('button[aria-expanded][aria-controls]');
  if (menu && A.rendered(menu) && !afterMenu) out.menu = A.sel(menu);
  else out.phone_nav.push(`not reachable at ${width}px${afterMenu ? ' after opening the menu' : ' and no menu button'}: `
    + off.slice(0, 6).map((el) => `${A.sel(el)} "${el.textContent.trim().slice(0, 30)}"`).join(', '));
}
// Targets
const scope = document.querySelector('main') ? 'body > header *, main *' : 'body *';
const targets = [...document.querySelectorAll(scope)].filter((el) =>
  el.matches('a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [tabindex="0"]')
  && A.rendered(el) && !A.clipped(el) && !el.closest('[aria-hidden="true"]') && el.getBoundingClientRect().width > 0);
const rectOf = (el) => {
  let r = el.getBoundingClientRect();
  if (el.matches('input[type=checkbox], input[type=radio]')) {
    for (const l of el.labels || []) {
      const lr = l.getBoundingClientRect();
      r = {left: Math.min(r.left, lr.left), top: Math.min(r.top, lr.top), right: Math.max(r.right, lr.right), bottom: Math.max(r.bottom, lr.bottom)};
    }
    r = {...r, width: r.right - r.left, height: r.bottom - r.top};
  }
  return r;
};
// WCAG's inline exception: a link in a sentence or a line of text (words around it that are not
// themselves links or buttons) is as tall as the text.
const inSentence = (el) => {
  if (!A.isLink(el)) return false;
  let block = el.parentElement;
  while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
  if (!block) return false;
  let words = '';
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!parent.closest('a[href], button, [role=button], [role=link]') && A.rendered(parent) && !A.clipped(parent)) {
      words += ' ' + walker.currentNode.textContent;
    }
  }
  return (words.match(/\p{L}{2,}/gu) || []).length > 0;
};
const boxes = targets.map((el) => ({el, r: rectOf(el)}));
const small = boxes.filter(({r}) => r.width < 23.5 || r.height < 23.5);
const centre = (r) => [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
const distance = (p, r) => Math.hypot(Math.max(r.left - p[0], 0, p[0] - r.right), Math.max(r.top - p[1], 0, p[1] - r.bottom));
for (const {el, r} of small) {
  if (inSentence(el)) continue;
  const c = centre(r);
  const crowded = boxes.some((b) => b.el !== el && !b.el.contains(el) && !el.contains(b.el) && (
    small.includes(b) ? Math.hypot(c[0] - centre(b.r)[0], c[1] - centre(b.r)[1]) < 24 : distance(c, b.r) < 12));
  if (crowded) out.phone_targets.push(`${A.sel(el)} "${A.name(el).slice(0, 30)}": ${Math.round(r.width)}x${Math.round(r.height)} px, closer than 24px to another target`);
}
for (const k of Object.keys(out)) if (Array.isArray(out[k])) out[k] = out[k].slice(0, 40);
return out;
"""
)


# axe-core's tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA, plus its best practices.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice")
# Rules whose "needs review" is a failure here: axe leaves an aria-label on a plain <span> with
# text to review, but ARIA prohibits it there and screen readers ignore it.
AXE_REVIEW_FAILS = ("aria-prohibited-attr",)
# Rules whose outcome depends on the layout, run again at phone size.
AXE_PHONE_RULES = ("target-size", "color-contrast", "meta-viewport", "scrollable-region-focusable")

AXE_RUN = r"""
const [options, review, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
axe.run(document, options).then((result) => done({violations: result.violations.concat(
    result.incomplete.filter((v) => review.includes(v.id))).map((v) => ({
  id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.map(String).join(' >>> ')),
}))}), (error) => done({error: String(error && error.stack || error)}));
"""


@functools.lru_cache(maxsize=1)
def axe_source() -> str:
    if not AXE_JS.is_file():
        raise RuntimeError(f"{AXE_JS} is missing: run `.venv/bin/python scripts/vendor_assets.py`")
    return AXE_JS.read_text(encoding="utf-8")


def axe_checks(browser, rules: tuple[str, ...] | None = None, suffix: str = "") -> list[str]:
    """Run axe-core in the open page: every rule of ``AXE_TAGS``, or only ``rules``. One line per
    element that fails a rule: ``rule-id (impact) target: help``."""
    if not browser.execute_script("return typeof window.axe === 'object'"):
        browser.execute_script(axe_source())
    # Only the top document: axe would wait for a copy of itself in every frame.
    options = {"iframes": False, "resultTypes": ["violations", "incomplete"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": list(rules)}
    else:
        options["runOnly"] = {"type": "tag", "values": list(AXE_TAGS)}
    browser.set_script_timeout(60)
    result = browser.execute_async_script(AXE_RUN, options, list(AXE_REVIEW_FAILS))
    if "error" in result:
        return [f"axe-core failed to run: {result['error'][:300]}"]
    return [
        f"{v['id']} ({v['impact']}){suffix} {node}: {v['help']}" for v in result["violations"] for node in v["nodes"]
    ][:60]


def wait_ready(browser, settle: float = 0.3) -> None:
    deadline = time.monotonic() + 15
    while browser.execute_script("return document.readyState") != "complete" and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(settle)  # deferred and module scripts: widgets, cells, math


def page_checks(browser, lang: str = "en") -> dict[str, list[str]]:
    report = browser.execute_script(PAGE_AUDIT, lang)
    report["axe"] = axe_checks(browser)
    return report


def keyboard_checks(browser, chunk: int = 10) -> dict[str, list[str]]:
    """Tab through the page with real key presses, from the top, then try the skip link. Tab is
    pressed ``chunk`` times per WebDriver call; the page records each focus change as it happens."""
    out = {"skip_link": [], "focus_visible": [], "focus_order": [], "focus_trap": []}
    out["focus_order"] += browser.execute_script(FOCUS_START, False)
    expected = browser.execute_script("return window.__a11y.expected.length")
    limit, pressed, read, first = expected * 2 + 20, 0, 0, None

    def tab(*keys) -> dict:
        nonlocal read
        ActionChains(browser).send_keys(*keys).perform()
        state = browser.execute_script(FOCUS_READ, read)
        read += len(state["records"])
        return state

    while pressed < limit:
        state = tab(*[Keys.TAB] * chunk)
        pressed += chunk
        if not state["records"] and state["stayed"]:
            # Tab stayed on one element for a whole chunk. An editor may keep Tab for indenting
            # when it says how to leave it: Escape, then Tab. (Tab between the parts of a date
            # input moves on within a chunk.)
            stuck = browser.execute_script("return window.__a11y.log[window.__a11y.log.length - 1]")
            state = tab(Keys.ESCAPE, Keys.TAB)
            if not state["records"] and state["stayed"]:
                out["focus_trap"].append(f"{stuck['sel']}: the focus is trapped (Tab, Escape then Tab stay there)")
                break
            limit += chunk  # the Tabs the editor kept do not count
            if "escape" not in stuck["description"].lower():
                out["focus_trap"].append(f"{stuck['sel']}: Tab does not leave it, and it does not say how to")
        done = False
        for info in state["records"]:
            if info["again"]:  # back at the start: the whole page has been seen
                done = True
                break
            first = first or info["sel"]
            if info["backwards"]:
                out["focus_order"].append(f"{info['sel']}: Tab moved backwards in the document")
            if not info["onscreen"]:
                out["focus_visible"].append(f"{info['sel']}: focused but not visible on screen ({info['size']})")
        if done or state["left"]:
            break
    else:
        out["focus_trap"].append(f"Tab never left the page after {limit} presses")
    end = browser.execute_script(FOCUS_END)
    out["focus_visible"] += end["visible"]
    out["focus_order"] += end["order"]
    # The skip link: first on Tab from the top; Enter moves the focus to <main>, and the next Tab goes on from there.
    target = browser.execute_script("return window.__a11y.skipTarget && window.__a11y.sel(window.__a11y.skipTarget)")
    if not target:
        out["skip_link"].append("no skip link to <main> to try")
    else:
        browser.execute_script(FOCUS_START, True)
        ActionChains(browser).send_keys(Keys.TAB).perform()
        focused = browser.execute_script("return window.__a11y.sel(document.activeElement)")
        ActionChains(browser).send_keys(Keys.ENTER).perform()
        time.sleep(0.1)
        landed = browser.execute_script(
            "const t = window.__a11y.skipTarget; const a = document.activeElement;return a === t || t.contains(a)"
        )
        ActionChains(browser).send_keys(Keys.TAB).perform()
        after = browser.execute_script(
            "const t = window.__a11y.skipTarget; const a = document.activeElement; return !!a && a !== document.body"
            " && (t.contains(a) || !!(t.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING))"
            " && window.__a11y.sel(a)"
        )
        if focused != first or focused is None:
            out["skip_link"].append(f"the first Tab from the top focuses {focused}, not the skip link")
        if not after:
            out["skip_link"].append(
                f"Enter on the skip link does not take the keyboard to {target}"
                f"{'' if landed else ' (the focus stays before it)'}"
            )
    return out


def phone_checks(browser, url: str | None = None, prepare=None) -> dict[str, list[str]]:
    """Reload the page (or open ``url``) at phone size with mobile emulation, and check it."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    try:
        browser.get(url or browser.current_url)
        wait_ready(browser)
        if prepare:
            prepare(browser)
        out = browser.execute_script(PHONE_AUDIT, False)
        if out["menu"]:
            browser.find_element("css selector", out["menu"]).click()
            time.sleep(0.2)
            out["phone_nav"] = browser.execute_script(PHONE_AUDIT, True)["phone_nav"]
        out.pop("menu")
        out["axe"] = axe_checks(browser, AXE_PHONE_RULES, " at phone size")
        return out
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def audit(
    browser, url: str | None = None, *, lang: str = "en", phone: bool = True, prepare=None
) -> dict[str, list[str]]:
    """Every check on one page: open ``url`` (or keep the page as it is), call ``prepare(browser)``
    if given (e.g. to wait for widgets), audit; then reload it at phone size unless ``phone=False``
    (a page that came from a POST)."""
    if url:
        browser.get(url)
        wait_ready(browser)
    if prepare:
        prepare(browser)
    report = page_checks(browser, lang)
    report.update(keyboard_checks(browser))
    if phone:
        phone_report = phone_checks(browser, url, prepare)
        report["axe"] = report["axe"] + [
            p for p in phone_report.pop("axe") if p.replace(" at phone size", "") not in report["axe"]
        ]
        report.update(phone_report)
    return {check: report.get(check, []) for check in CHECKS}


def failures(reports: dict[str, dict[str, list[str]]]) -> str:
    """The problems of several pages' reports, readable in a test failure: each problem once, with
    the pages it is on. With ``LP_A11Y_REPORT=file.json`` the reports are also added to that file
    (to count what a run found)."""
    if os.environ.get("LP_A11Y_REPORT"):
        path = Path(os.environ["LP_A11Y_REPORT"])
        previous = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps({**previous, **reports}, indent=1))
    pages: dict[tuple[str, str], list[str]] = {}
    for page, report in reports.items():
        for check, problems in report.items():
            for problem in problems:
                pages.setdefault((check, problem), []).append(page)
    return "\n".join(
        f"[{check}] {problem}  (on {', '.join(on) if len(on) < 4 else f'{len(on)} pages'})"
        for (check, problem), on in pages.items()
    )
