/* global document, window, fetch, setTimeout */
// Live progress for the "Sync now" page: polls the run's counts every second and fills them in. Without
// script the page refreshes itself instead (a <noscript> meta refresh). Text only, never markup.
(function () {
  'use strict';
  var section = document.getElementById('run');
  if (!section || section.getAttribute('data-running') !== 'true') return;
  var url = section.getAttribute('data-progress-url');
  var bar = document.getElementById('run-progress');
  var text = document.getElementById('progress-text');
  var status = document.getElementById('run-status');
  var phase = document.getElementById('run-phase');
  var runId = null;

  function cell(tag, value) {
    var el = document.createElement(tag);
    el.textContent = String(value);
    return el;
  }

  function fillCounts(counts) {
    var body = document.querySelector('#run-counts tbody');
    if (!body || !counts.length) return;
    while (body.firstChild) body.removeChild(body.firstChild);
    counts.forEach(function (c) {
      c.items.forEach(function (item, n) {
        var row = document.createElement('tr');
        if (n === 0) {
          var head = cell('th', c.label);
          head.setAttribute('scope', 'row');
          head.setAttribute('rowspan', String(c.items.length));
          row.appendChild(head);
        }
        row.appendChild(cell('td', item.label));
        var count = cell('td', item.count);
        count.className = 'num';
        row.appendChild(count);
        body.appendChild(row);
      });
    });
  }

  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.run) return setTimeout(poll, 2000);
        if (runId === null) runId = data.run.id;
        if (data.run.expected !== null) {
          bar.max = Math.max(data.run.expected, 1);
          bar.value = data.run.expected === 0 ? 1 : data.run.done;
        }
        text.textContent = data.run.text;
        status.textContent = data.run.statusLabel;
        if (phase && data.run.phase) phase.textContent = data.run.phase;
        fillCounts(data.run.counts);
        // The run ended (or another took its place): the server-rendered page shows the outcome.
        if (!data.running || data.run.id !== runId) return window.location.reload();
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
