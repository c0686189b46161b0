// Picks the threaded build when the page is cross-origin isolated (SharedArrayBuffer available), else the
// single-threaded one; ?build=st|mt forces a choice. Creates window.recluster (see recluster-api.js).
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var forced = params.get('build');
  var threaded = forced ? forced === 'mt' : (self.crossOriginIsolated === true && typeof SharedArrayBuffer !== 'undefined');
  if (threaded && typeof SharedArrayBuffer === 'undefined') threaded = false;
  var dir = threaded ? 'mt' : 'st';
  var overlay = document.getElementById('overlay');
  var overlayText = document.getElementById('overlay-text');

  function showFatal(message) {
    overlay.classList.remove('hidden');
    overlayText.textContent = message;
  }

  var resolveModule, rejectModule;
  var modulePromise = new Promise(function (res, rej) { resolveModule = res; rejectModule = rej; });
  window.recluster = ReclusterApi.makeApi(modulePromise);
  window.recluster.build = threaded ? 'threaded' : 'single-threaded';

  // A share link: ?data=<url> loads the data, #s=... reopens the exploration (#...&d= carries small data itself);
  // `ready` resolves after the linked view is recomputed, or at once with `linkPending` when the link waits for
  // the recipient's file. A failure shows in the app's error banner (and `linkError`) and leaves a working page.
  var linkData = params.get('data');
  var linkHash = /(?:^#|&)s=/.test(location.hash) ? location.hash : null;
  if (linkData || linkHash) {
    var api = window.recluster, moduleReady = api.ready;
    api.ready = moduleReady.then(function () {
      return linkHash ? api.openShareLink(linkHash, { dataUrl: linkData }) : api.loadUrl(linkData);
    }).then(function (r) {
      api.linkPending = !!(r && r.pending);
      return api;
    }, function (e) {
      api.linkError = e && e.message ? e.message : String(e);
      console.warn('recluster: ' + api.linkError);
      return api.showError(api.linkError).then(function () { return api; });
    });
  }

  var script = document.createElement('script');
  script.src = dir + '/recluster_app.js';
  script.onerror = function () {
    showFatal('Could not load the application files (' + script.src + ').');
    rejectModule(new Error('could not load ' + script.src));
  };
  script.onload = function () {
    createReclusterApp({
      canvas: document.getElementById('canvas'),
      locateFile: function (path) { return dir + '/' + path; },
      mainScriptUrlOrBlob: script.src,
      onWebGLUnavailable: function () {
        showFatal('This browser does not offer WebGL2, which recluster needs to draw the map.');
      },
      onAbort: function (what) {
        showFatal('recluster stopped unexpectedly: ' + what + '. Reload the page to start again.');
      },
    }).then(function (Module) {
      overlay.classList.add('hidden');
      resolveModule(Module);
    }, function (e) {
      showFatal('recluster could not start: ' + (e && e.message ? e.message : e));
      rejectModule(e);
    });
  };
  document.head.appendChild(script);

  // The hidden file picker (opened from the app's "Open CSV file" button or the O key; in "predict" mode from the
  // Explain window: the file's rows are assigned to clusters instead of replacing the data).
  var input = document.getElementById('file-input');
  // A session file (it starts with RCLSESS) reopens an exploration; anything else is read as CSV (large files are
  // streamed in slices, never one string).
  function openFile(file, mode) {
    if (mode === 'assign') return window.reclusterAssign(file);
    file.slice(0, 8).text().then(function (head) {
      if (mode !== 'predict' && head === 'RCLSESS\n') return window.recluster.loadSession(file);
      if (mode !== 'predict') return window.recluster.loadFile(file);
      return file.text().then(function (text) { return window.recluster.predictCsvText(text); });
    }).catch(function () { /* the app shows the error itself */ });
  }
  // Every row of a file (or, without one, of the file the data came from) assigned to cluster paths; the paths
  // are downloaded as <name>-paths.csv (a Blob URL: nothing leaves the machine).
  window.reclusterAssign = function (file) {
    return window.recluster.assignFile(file).then(function (r) {
      var url = URL.createObjectURL(r.csv);
      var a = document.createElement('a');
      a.href = url;
      a.download = String(r.name || 'rows.csv').replace(/\.[^.]*$/, '') + '-paths.csv';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
      return r;
    }).catch(function () { /* the app shows the error itself */ });
  };
  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) return;
    var mode = input.dataset.mode || 'load';
    input.dataset.mode = 'load';
    openFile(file, mode);
    input.value = '';
  });
  // Dropped files are taken here, before GLFW (which would copy the whole file into the WASM heap).
  window.addEventListener('dragover', function (e) { e.preventDefault(); }, true);
  window.addEventListener('drop', function (e) {
    var file = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
    if (!file || !window.recluster) return;
    e.preventDefault();
    e.stopPropagation();
    openFile(file, 'load');
  }, true);
})();
