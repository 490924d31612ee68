// Injected into a copy of report.html by tests/report.rs before headless Chromium loads it.
// Measures the laid-out page and appends the findings as JSON in <pre id="layout-check">:
// texts of a figure that reach outside its SVG (cut off), texts of a figure that overlap,
// elements wider than the window (a wide table may scroll inside its box), and counts of
// figures, SVGs and texts drawn.
(function () {
  var outside = [];
  var overlaps = [];
  document.querySelectorAll('figure svg').forEach(function (svg) {
    var box = svg.getBoundingClientRect();
    var id = svg.closest('figure').id;
    var rects = [];
    svg.querySelectorAll('text').forEach(function (t) {
      var label = t.textContent.trim();
      if (label === '') return;
      var r = t.getBoundingClientRect();
      if (r.left < box.left - 0.5 || r.top < box.top - 0.5 ||
          r.right > box.right + 0.5 || r.bottom > box.bottom + 0.5) {
        outside.push(id + ': ' + label);
      }
      rects.push([r, label]);
    });
    for (var i = 0; i < rects.length; i++) {
      for (var j = i + 1; j < rects.length; j++) {
        var a = rects[i][0], b = rects[j][0];
        var w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (w > 1 && h > 1) overlaps.push(id + ': ' + rects[i][1] + ' | ' + rects[j][1]);
      }
    }
  });
  var width = document.documentElement.clientWidth;
  var wider = [];
  document.querySelectorAll('body *').forEach(function (e) {
    // A wide table scrolls inside its box (div.table): the box must fit, not the table.
    var box = e.closest('div.table');
    if (box && box !== e) return;
    var r = e.getBoundingClientRect();
    if (r.right > width + 0.5 && wider.length < 10) {
      wider.push(e.tagName + '#' + e.id + ' ' + (e.textContent || '').slice(0, 40));
    }
  });
  var drawn = 0;
  document.querySelectorAll('figure svg').forEach(function (svg) {
    var r = svg.getBoundingClientRect();
    if (r.width > 100 && r.height > 100) drawn++;
  });
  var out = document.createElement('pre');
  out.id = 'layout-check';
  out.textContent = JSON.stringify({
    figures: document.querySelectorAll('figure').length,
    svgs_drawn: drawn,
    texts: document.querySelectorAll('figure svg text').length,
    outside: outside,
    overlaps: overlaps,
    wider_than_window: wider
  });
  document.body.appendChild(out);
})();
