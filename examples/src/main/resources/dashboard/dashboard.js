// Live dashboard: draws what the /events stream sends. No libraries, nothing fetched from elsewhere.
(function () {
  'use strict';
  var COLORS = ['#0969da', '#bf3989', '#1a7f37', '#9a6700', '#8250df'];
  var MAX_POINTS = 360;
  var state = { scale: [], quality: [], tasks: {}, order: [], rooms: {} };
  // Read by the browser test and handy in the console.
  window.dashboard = state;

  function addPoint(series, point) {
    var list = state[series];
    if (list.length && list[list.length - 1].t >= point.t) {
      return; // each time once, in order
    }
    list.push(point);
    if (list.length > MAX_POINTS) {
      list.shift();
    }
    var canvas = document.getElementById(series);
    canvas.dataset.points = String(list.length);
    draw(canvas, list, series + '-legend');
  }

  function draw(canvas, points, legendId) {
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth, height = canvas.clientHeight;
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    var g = canvas.getContext('2d');
    g.scale(ratio, ratio);
    g.clearRect(0, 0, width, height);
    var names = Object.keys(points[0].values);
    var pad = { left: 44, right: 8, top: 8, bottom: 22 };
    var t0 = points[0].t, t1 = points[points.length - 1].t;
    var max = 0;
    points.forEach(function (p) { names.forEach(function (n) { max = Math.max(max, p.values[n]); }); });
    max = max <= 0 ? 1 : max * 1.1;
    function x(t) { return pad.left + (t1 === t0 ? 0 : (t - t0) / (t1 - t0)) * (width - pad.left - pad.right); }
    function y(v) { return height - pad.bottom - v / max * (height - pad.top - pad.bottom); }
    g.strokeStyle = '#d0d7de';
    g.fillStyle = '#57606a';
    g.font = '11px system-ui, sans-serif';
    for (var i = 0; i <= 4; i++) {
      var v = max * i / 4, yy = y(v);
      g.beginPath(); g.moveTo(pad.left, yy); g.lineTo(width - pad.right, yy); g.stroke();
      g.fillText(v >= 10 ? v.toFixed(0) : v.toFixed(1), 4, yy + 4);
    }
    g.fillText(new Date(t0).toLocaleTimeString(), pad.left, height - 6);
    var last = new Date(t1).toLocaleTimeString();
    g.fillText(last, width - pad.right - g.measureText(last).width, height - 6);
    names.forEach(function (name, k) {
      g.strokeStyle = COLORS[k % COLORS.length];
      g.lineWidth = 2;
      g.beginPath();
      points.forEach(function (p, j) {
        if (j === 0) { g.moveTo(x(p.t), y(p.values[name])); } else { g.lineTo(x(p.t), y(p.values[name])); }
      });
      g.stroke();
    });
    var latest = points[points.length - 1].values;
    document.getElementById(legendId).innerHTML = names.map(function (name, k) {
      return '<span><i style="background:' + COLORS[k % COLORS.length] + '"></i>' + name + ' ' + latest[name] + '</span>';
    }).join('');
  }

  function updateTask(task) {
    var known = state.tasks[task.id];
    if (!known) {
      known = state.tasks[task.id] = { kind: task.kind, history: [] };
      state.order.push(task.id);
      var empty = document.getElementById('no-tasks');
      if (empty) { empty.remove(); }
      var row = document.createElement('tr');
      row.id = 'task-' + task.id;
      row.innerHTML = '<td></td><td></td><td><span class="phase"></span></td><td></td><td></td><td></td>';
      document.getElementById('tasks').prepend(row);
    }
    var history = known.history;
    if (history.length && history[history.length - 1] === task.status) {
      return;
    }
    history.push(task.status);
    known.phase = task.phase;
    known.sources = (known.sources || []).concat([task.source]);
    var cells = document.getElementById('task-' + task.id).children;
    cells[0].textContent = task.id;
    cells[1].textContent = task.kind;
    cells[2].firstChild.textContent = task.status;
    cells[2].firstChild.className = 'phase ' + task.phase;
    cells[3].textContent = new Date(task.t).toLocaleTimeString();
    cells[4].textContent = task.source;
    cells[5].textContent = history.join(' → ');
  }

  function updateRoom(room) {
    state.rooms[room.id] = room;
    var row = document.getElementById('room-' + room.id);
    if (!room.users.length) {
      if (row) { row.remove(); }
      return;
    }
    if (!row) {
      var empty = document.getElementById('no-rooms');
      if (empty) { empty.remove(); }
      row = document.createElement('tr');
      row.id = 'room-' + room.id;
      row.innerHTML = '<td></td><td></td><td></td><td></td><td></td>';
      document.getElementById('rooms').appendChild(row);
    }
    var cells = row.children;
    cells[0].textContent = room.id;
    cells[1].textContent = room.users.join(', ');
    cells[2].textContent = room.audio.join(', ');
    cells[3].textContent = room.video.join(', ');
    cells[4].textContent = new Date(room.t).toLocaleTimeString();
  }

  var connection = document.getElementById('connection');
  var source = new EventSource('/events');
  source.onopen = function () { connection.textContent = 'live'; connection.className = 'live'; };
  source.onerror = function () { connection.textContent = 'reconnecting…'; connection.className = 'down'; };
  source.addEventListener('scale', function (e) { addPoint('scale', JSON.parse(e.data)); });
  source.addEventListener('quality', function (e) { addPoint('quality', JSON.parse(e.data)); });
  source.addEventListener('task', function (e) { updateTask(JSON.parse(e.data)); });
  source.addEventListener('room', function (e) { updateRoom(JSON.parse(e.data)); });
  source.addEventListener('failure', function (e) {
    connection.textContent = 'failed: ' + JSON.parse(e.data).message; connection.className = 'down';
  });
})();
