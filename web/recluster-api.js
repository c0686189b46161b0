// window.recluster: the app's scripting contract, built on the Embind functions of the WASM module.
// Used by the page (web/loader.js) and by the node contract tests (tests/wasm/), so both exercise one code path.
// Every call returns a Promise; errors reject with an Error whose message is readable by a person.
(function (root) {
  'use strict';

  function makeApi(ModulePromise, options) {
    options = options || {};
    // drive: call Module.tick() while waiting (headless use; the app's main loop ticks by itself).
    var drive = !!options.drive;
    var Module = null;
    var ready = Promise.resolve(ModulePromise).then(function (m) { Module = m; return api; });

    // Resolves with the job's result; `each` (optional) runs at every poll before the job's state is read.
    function wait(id, each) {
      return new Promise(function (resolve, reject) {
        function poll() {
          Module.tick(drive ? 50 : 0);  // 0: only commit a finished job (the app's frames do the work)
          if (each) each();
          var r = JSON.parse(Module.jobReport(id));
          if (r.state === 'done') return resolve(r.result);
          if (r.state === 'failed') return reject(new Error(r.error));
          setTimeout(poll, drive ? 0 : 15);
        }
        poll();
      });
    }

    function waitIdle() {
      // Resolves once the engine has no job in flight (e.g. the default run that follows a load).
      return new Promise(function (resolve) {
        function poll() {
          Module.tick(drive ? 50 : 0);  // 0: only commit a finished job (the app's frames do the work)
          if (!JSON.parse(Module.stateJson()).busy) return resolve();
          setTimeout(poll, drive ? 0 : 15);
        }
        poll();
      });
    }

    // Share links: the state JSON, deflated (CompressionStream, built into browsers and node) and base64url-encoded
    // after "#s=z"; "#s=j" marks uncompressed JSON (where CompressionStream is missing).
    function toBase64Url(bytes) {
      var s = '';
      for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
      return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    }
    function fromBase64Url(text) {
      var t = String(text).replace(/-/g, '+').replace(/_/g, '/');
      while (t.length % 4) t += '=';
      var s = atob(t), bytes = new Uint8Array(s.length);
      for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
      return bytes;
    }
    function pipeBytes(bytes, stream) {
      return new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer().then(function (b) { return new Uint8Array(b); });
    }
    function encodeState(json) {
      var bytes = new TextEncoder().encode(json);
      if (typeof CompressionStream === 'undefined') return Promise.resolve('j' + toBase64Url(bytes));
      return pipeBytes(bytes, new CompressionStream('deflate-raw')).then(function (z) { return 'z' + toBase64Url(z); });
    }
    function decodeState(text) {
      return Promise.resolve().then(function () {
        var kind = String(text).charAt(0), bytes = fromBase64Url(String(text).slice(1));
        if (kind === 'j') return new TextDecoder().decode(bytes);
        if (kind !== 'z') throw new Error('bad kind');
        return pipeBytes(bytes, new DecompressionStream('deflate-raw')).then(function (b) { return new TextDecoder().decode(b); });
      }).catch(function () {
        throw new Error('The link is damaged: its state cannot be decoded (was it cut short when copied?).');
      });
    }
    var dataUrl = null;  // {url, fingerprint} of the last data loaded from a URL (a share link names it)
    var MAX_EMBED_BYTES = 64 * 1024;

    function analyze(kind, options) {
      return ready.then(function () {
        return wait(Module.analyze(kind, JSON.stringify(options || {})));
      });
    }

    // Streaming a File or Blob: the engine asks for slices (streamWanted: an offset, -2 = not now, -1 = no more) and
    // the page reads them. One pump at a time, for the latest streamed file; it also serves a second pass and the
    // "load a sample" retry of a refused file.
    var streamFile = null, pumping = false;
    var loadedFile = null, loadedName = '';    // the File or Blob the data was last loaded from (assignFile() reads it again)
    var refusedFile = null, refusedName = '';  // the File or Blob of the last refused loadFile (loadSample() reads it again)
    var kSlice = 4 << 20;
    function pump() {
      if (pumping || !streamFile || !Module) return;
      pumping = true;
      var file = streamFile;
      (function next() {
        if (file !== streamFile) { pumping = false; return pump(); }
        var off = Module.streamWanted();
        if (off === -1) { pumping = false; return; }
        if (off === -2) { setTimeout(next, 5); return; }
        file.slice(off, Math.min(off + kSlice, file.size)).arrayBuffer().then(function (buf) {
          if (file === streamFile) Module.streamFeed(new Uint8Array(buf), off);
          next();
        }, function (e) {
          pumping = false;
          Module.cancelJob();
          Module.reportError('Could not read the file: ' + (e && e.message ? e.message : e));
        });
      })();
    }
    var pumpTimer = setInterval(function () { if (streamFile && !pumping && Module && Module.streamWanted() >= 0) pump(); }, 100);
    if (pumpTimer && pumpTimer.unref) pumpTimer.unref();  // node: the timer alone does not keep the process alive

    // loadCsvText / setColumnRoles options as the data setup's JSON; `base` holds the keys kept from before.
    function setupOf(options, base) {
      var o = {};
      var k;
      for (k in (base || {})) o[k] = base[k];
      if (options.delimiter !== undefined) o.delimiter = String(options.delimiter);
      if (options.decimal !== undefined) o.decimal = options.decimal === 'comma' ? ',' : options.decimal === 'point' ? '.' : String(options.decimal);
      if (options.header !== undefined) o.header = !!options.header;
      if (options.skipBadRows !== undefined) o.skip_bad_rows = !!options.skipBadRows;
      if (options.sampleRows !== undefined) o.sample_rows = options.sampleRows;
      if (options.roles !== undefined) o.roles = options.roles;
      if (options.maxCategories !== undefined) o.max_categories = options.maxCategories;
      if (options.textDims !== undefined) o.text_dims = options.textDims;
      return o;
    }

    var api = {
      ready: null,
      // loadCsvText(text, name, options): options {delimiter: ',' | ';' | '\t' | '|', decimal: 'comma' | 'point',
      // header: true | false, skipBadRows: true, roles: {column: 'feature' | 'pixels' | 'category' | 'vector' | 'text' |
      // 'label' | 'identifier' | 'ignore'}, maxCategories: N, textDims: N} override what is sniffed and detected.
      // skipBadRows() reloads a file that stopped at a row with the wrong number of fields, skipping such rows
      // (state().can_skip_bad_rows); openWithoutFeatures() opens a file refused for having no feature column, to
      // choose its columns' roles (state().can_open_without_features).
      loadCsvText: function (text, name, options) {
        refusedFile = null;  // loadFile sets it when this load is refused
        return ready.then(function () {
          if (typeof text !== 'string') throw new Error('loadCsvText(text, name): text must be a string');
          if (!options) return wait(Module.loadCsvText(text, String(name || 'data.csv')));
          return wait(Module.loadCsvTextWith(text, String(name || 'data.csv'), JSON.stringify(setupOf(options))));
        }).then(function (r) {
          loadedFile = null;  // loadFile sets it again
          return waitIdle().then(function () { return { rows: r.rows, columns: r.columns, warnings: r.warnings }; });
        });
      },
      // setColumnRoles({column: role, ...}, options?): reads the current file again with these roles (merged into
      // the current ones; a role of null returns the column to its detected role) and runs the default recipe on
      // the new columns. options as loadCsvText's (delimiter, decimal, header, maxCategories, textDims).
      setColumnRoles: function (roles, options) {
        return ready.then(function () {
          var current = api.state().data_setup || {};
          var setup = setupOf(options || {}, current);
          var merged = {};
          var k;
          for (k in (current.roles || {})) merged[k] = current.roles[k];
          for (k in (roles || {})) {
            if (roles[k] === null) delete merged[k];
            else merged[k] = String(roles[k]);
          }
          if (Object.keys(merged).length) setup.roles = merged;
          else delete setup.roles;
          return wait(Module.setDataSetup(JSON.stringify(setup)));
        }).then(function () { return waitIdle(); }).then(function () { return api.state().dataset; });
      },
      openWithoutFeatures: function () {
        return ready.then(function () { return wait(Module.openWithoutFeatures()); }).then(function () {
          return waitIdle().then(function () { return api.state().dataset; });
        });
      },
      // topTerms(column?, top?): for a text column (the first one when not given), each cluster of the current view
      // with its most distinctive words {column, clusters: [{cluster, size, terms: [{term, share_in, share_out}]}]}.
      topTerms: function (column, top) {
        var r = JSON.parse(Module.topTerms(column ? String(column) : '', top || 10));
        if (r && r.error) throw new Error(r.error);
        return r;
      },
      // loadFile(file, options): a File or Blob (options.name names a Blob). Files up to 128 MB are read whole
      // (and kept for session files and links with data); larger ones, or with {stream: true}, are streamed in
      // slices without ever holding the file in memory. Other options as loadCsvText's.
      loadFile: function (file, options) {
        options = options || {};
        var name = String(options.name || file.name || 'data.csv');
        var stream = options.stream !== undefined ? !!options.stream : file.size > (128 << 20);
        var loaded = function (r) { loadedFile = file; loadedName = name; return r; };
        var refused = function (e) { refusedFile = file; refusedName = name; throw e; };
        if (!stream) return file.text().then(function (text) { return api.loadCsvText(text, name, options); }).then(loaded, refused);
        return ready.then(function () {
          streamFile = file;
          var id = Module.loadStream(name, file.size, JSON.stringify(setupOf(options)));
          pump();
          return wait(id);
        }).then(function (r) {
          loaded(r);
          return waitIdle().then(function () { return { rows: r.rows, columns: r.columns, warnings: r.warnings }; });
        }, refused);
      },
      // setMemoryLimit(bytes): loads whose memory estimate exceeds it are refused (0 = the tab's own limit);
      // loadSample() then reads the refused file again keeping the suggested number of rows
      // (state().suggested_sample).
      setMemoryLimit: function (bytes) { return ready.then(function () { Module.setMemoryLimit(Number(bytes) || 0); }); },
      // setThreads(n): threads for the computations started from now on (1 to 4; 0 = the browser's
      // navigator.hardwareConcurrency, the default, at most 4). Results are identical for any count; state().threads.
      setThreads: function (n) {
        return ready.then(function () {
          n = Number(n);
          if (!(n >= 0 && n <= 4) || Math.floor(n) !== n) throw new Error('setThreads(n): n must be a whole number from 0 to 4');
          Module.setThreads(n);
          return api.state().threads;
        });
      },
      // setMapOptions({levelOfDetail, pointBudget}): the map's level of detail (default on: with more than pointBudget
      // points in view it draws an even random sample of about that many; pointBudget 0 = automatic: 500,000 with a
      // GPU, 40,000 with a software renderer). state().view.level_of_detail and points_drawn report the effect.
      setMapOptions: function (options) {
        return ready.then(function () {
          var o = {};
          options = options || {};
          if (options.levelOfDetail !== undefined) o.level_of_detail = options.levelOfDetail;
          if (options.pointBudget !== undefined) o.point_budget = options.pointBudget;
          var error = Module.setMapOptions(JSON.stringify(o));
          if (error) throw new Error(error);
          return api.state().view.level_of_detail;
        });
      },
      // result(): the view on screen as run() resolved it (timings_ms per stage, memory, clustering, umap), or null.
      result: function () { return JSON.parse(Module.currentResult()); },
      loadSample: function () {
        var file = refusedFile, name = refusedName;
        return ready.then(function () {
          var id = Module.loadSample();
          pump();
          return wait(id);
        }).then(function (r) {
          loadedFile = file;  // the whole file: assignFile() assigns every row of it
          loadedName = name;
          return waitIdle().then(function () { return { rows: r.rows, columns: r.columns, warnings: r.warnings }; });
        });
      },
      skipBadRows: function () {
        return ready.then(function () { return wait(Module.retrySkippingBadRows()); }).then(function (r) {
          return waitIdle().then(function () { return { rows: r.rows, columns: r.columns, warnings: r.warnings }; });
        });
      },
      loadUrl: function (url) {
        return ready.then(function () {
          return fetch(url).then(function (resp) {
            if (!resp.ok) throw new Error('Could not fetch ' + url + ': HTTP ' + resp.status);
            return resp.text();
          }, function (e) {
            throw new Error('Could not fetch ' + url + ': ' + (e && e.message ? e.message : e));
          }).then(function (text) {
            var name = String(url).split('/').pop().split('?')[0] || 'data.csv';
            return api.loadCsvText(text, name).then(function (r) {
              var st = api.state();
              dataUrl = st.dataset ? { url: String(url), fingerprint: st.dataset.fingerprint } : null;
              return r;
            });
          });
        });
      },
      run: function (recipe) {
        return ready.then(function () {
          var json = recipe === undefined || recipe === null ? '' :
            (typeof recipe === 'string' ? recipe : JSON.stringify(recipe));
          return wait(Module.runRecipe(json));
        });
      },
      cancel: function () { if (Module) Module.cancelJob(); },
      // Re-labels the current map from its HDBSCAN tree (min_cluster_size, cluster_selection, ...): instant.
      relabel: function (changes) {
        return ready.then(function () {
          var out = Module.relabel(typeof changes === 'string' ? changes : JSON.stringify(changes || {}));
          if (out.indexOf('error: ') === 0) throw new Error(out.slice(7));
          return JSON.parse(out);
        });
      },
      // Analyses of the current result (each resolves to its JSON; a new run or relabel makes them stale):
      // metrics({truth_column}) validity (silhouette, Davies-Bouldin, Calinski-Harabasz, DBCV) and ARI/NMI;
      // sweep({method: 'kmeans'|'gmm', k_min, k_max, covariance}) inertia / silhouette / BIC for each k;
      // kDistance(k) the sorted distance of every row to its k-th neighbour, and its knee (DBSCAN's eps).
      metrics: function (options) { return analyze('metrics', options); },
      sweep: function (options) { return analyze('sweep', options); },
      kDistance: function (k) { return analyze('k_distance', k === undefined ? {} : { k: k }); },
      // stability({seeds, bootstraps}) re-runs the current view's pipeline (other seeds, a shuffled row order,
      // 80% subsamples): {runs: [{kind, ari, rows}], clusters: [{cluster, jaccard, rating}], mean_ari}.
      stability: function (options) { return analyze('stability', options); },
      // Explanations of the current view's clusters: explain(cluster?, {rounds, depth}?) trains one-vs-rest
      // boosted models on the original features (all clusters, or one on demand; instant when done before) and
      // resolves to {cluster, size, auc, accuracy, rounds, features: [{name, mean_abs_shap, mean_shap}],
      // profile: [{name, cluster_mean, rest_mean, std_diff}], representatives, outliers} (an array without a
      // cluster); explainRow(row, top?) is one row's SHAP contributions for its cluster's model (null until explained).
      explain: function (cluster, options) {
        var o = {};
        options = options || {};
        if (cluster !== undefined && cluster !== null) {
          if (typeof cluster !== 'number' || Math.floor(cluster) !== cluster) return Promise.reject(new Error('explain(cluster): cluster must be an integer'));
          o.cluster = cluster;
        }
        if (options.rounds !== undefined) o.rounds = options.rounds;
        if (options.depth !== undefined) o.depth = options.depth;
        return analyze('explain', o).then(function (r) { return o.cluster === undefined ? r : r[0]; });
      },
      // predictCsvText(text): new rows (same feature columns) assigned to cluster paths by the explained views'
      // models, top-down, without re-running UMAP or HDBSCAN: {rows, path: [...], confidence: [...], x: [...],
      // y: [...]} (x, y: the mean map position of each row's 10 nearest rows in the current view); drawn on the map.
      predictCsvText: function (text) {
        return ready.then(function () {
          if (typeof text !== 'string') throw new Error('predictCsvText(text): text must be a string');
          var out = Module.predictCsvText(text);
          if (out.indexOf('error: ') === 0) throw new Error(out.slice(7));
          return JSON.parse(out);
        });
      },
      // assignFile(file?, {name}?): every row of a CSV File or Blob of any size (streamed in slices, like loadFile)
      // assigned to a cluster path by the explained views' models, top-down, without re-running UMAP or HDBSCAN;
      // without a file, the file the data was loaded from with loadFile (all its rows when only a sample was
      // loaded). Resolves to {name, rows, paths: [{path, rows}], elapsed_ms, csv: Blob of row,path,confidence,
      // probability}. Needs every cluster of the top view explained (state().can_assign).
      assignFile: function (file, options) {
        options = options || {};
        return ready.then(function () {
          file = file || loadedFile;
          if (!file) throw new Error('assignFile(file): give a File or Blob (no file was loaded with loadFile).');
          var name = String(options.name || (file === loadedFile ? loadedName : file.name) || 'rows.csv');
          var before = streamFile;
          var id = Module.assignStream(name, file.size);
          streamFile = file;
          pump();
          var parts = [];
          var take = function () {
            var piece = Module.assignTake();
            if (piece) parts.push(new Blob([piece]));
          };
          var restore = function () { if (streamFile === file) streamFile = before; };  // a refused load's sample streams its own file
          return wait(id, take).then(function (out) {
            restore();
            take();  // the rest, after the job
            out.csv = new Blob(parts, { type: 'text/csv' });
            return out;
          }, function (e) {
            restore();
            throw e;
          });
        });
      },
      // The name of the file assignFile() reads without an argument ('' when none).
      loadedFileName: function () { return loadedFile ? loadedName : ''; },
      // exportLabelsCsv(): CSV text of every original row: its columns, then path, probability, outlier_score,
      // map_x, map_y, stability (of its cluster, when checked) and view (where those come from); null without data.
      exportLabelsCsv: function () {
        if (!Module) return null;
        var text = Module.exportLabelsCsv();
        return text === '' ? null : text;
      },
      // shareState(): the exploration as JSON (data fingerprint, every computed view with its recipe, the shown
      // view); openShareState(state) recomputes it on the loaded data (bit-identical) and resolves like run().
      shareState: function () {
        if (!Module) return null;
        var s = Module.shareState();
        return s === '' ? null : JSON.parse(s);
      },
      // shareUrl(options) resolves to a link to this exploration: the page's address, ?data= when the data came from
      // a URL, #s= the compressed state and, with {embedData: true}, the data itself (&d=, up to 64 KB compressed;
      // &n= its name). openShareLink(hash, {dataUrl}) opens such a link: with data in the link or a data URL it
      // loads the data and recomputes the linked view; with the same data already loaded it only recomputes; else
      // the state waits for the recipient's file (resolves {pending: true}; the file's fingerprint is checked).
      shareUrl: function (options) {
        options = options || {};
        return ready.then(function () {
          var state = Module.shareState();
          if (state === '') throw new Error('Nothing to share yet: load data and let the first map finish.');
          var info = JSON.parse(state);
          var parts = [encodeState(state)];
          if (options.embedData) {
            var text = Module.dataText();
            if (!text) throw new Error('This data file is too large to put in a link: share it by URL instead.');
            parts.push(encodeState(text).then(function (enc) {
              var bytes = Math.floor((enc.length - 1) * 3 / 4);
              if (bytes > MAX_EMBED_BYTES) {
                throw new Error('The data is too large to put in a link (' + Math.ceil(bytes / 1024) + ' KB compressed; the limit is ' +
                  (MAX_EMBED_BYTES / 1024) + ' KB): publish the file and share a link with ?data=, or send the file with the link.');
              }
              return enc;
            }));
          }
          return Promise.all(parts).then(function (enc) {
            var base = (typeof location !== 'undefined' ? location.origin + location.pathname : '');
            var query = !options.embedData && dataUrl && dataUrl.fingerprint === info.fp ? '?data=' + encodeURIComponent(dataUrl.url) : '';
            var hash = '#s=' + enc[0];
            if (enc[1]) hash += '&d=' + enc[1] + '&n=' + encodeURIComponent(info.name || 'data.csv');
            return base + query + hash;
          });
        });
      },
      openShareLink: function (hash, options) {
        options = options || {};
        var fields = {};
        String(hash || '').replace(/^#/, '').split('&').forEach(function (kv) {
          var eq = kv.indexOf('=');
          if (eq > 0) fields[kv.slice(0, eq)] = kv.slice(eq + 1);
        });
        if (!fields.s) return Promise.reject(new Error('The link carries no exploration (#s=...).'));
        function withData(json, load) {
          var err = Module.setPendingShare(json);  // a refused state still lets the data open, then says why
          return load().then(function () {
            if (err) throw new Error(err);
            var st = api.state();
            if (st.pending_link) Module.clearPendingShare();
            if (st.error) throw new Error(st.error);
            return { pending: false };
          });
        }
        return ready.then(function () { return decodeState(fields.s); }).then(function (json) {
          if (fields.d !== undefined) {
            return decodeState(fields.d).then(function (text) {
              var name = 'data.csv';
              try { name = decodeURIComponent(fields.n || name); } catch (e) { /* keep the default */ }
              return withData(json, function () { return api.loadCsvText(text, name); });
            });
          }
          if (options.dataUrl) return withData(json, function () { return api.loadUrl(options.dataUrl); });
          var fp = null;
          try { fp = JSON.parse(json).fp; } catch (e) { /* the engine's parser says what is wrong */ }
          var loaded = api.state().dataset;
          if (loaded && fp && loaded.fingerprint === fp) return api.openShareState(json).then(function () { return { pending: false }; });
          var err = Module.setPendingShare(json);
          if (err) throw new Error(err);
          return { pending: true };
        }, function (e) {
          // A damaged state: the data of the link still opens (without its exploration) when it names a URL.
          if (!options.dataUrl) throw e;
          return api.loadUrl(options.dataUrl).then(function () { throw e; }, function () { throw e; });
        });
      },
      // Session files: saveSession() resolves to the bytes of the whole exploration (data, views, results,
      // explanations, the map's look); loadSession(bytes) reopens one without recomputing (Uint8Array, ArrayBuffer
      // or Blob) and resolves like drill().
      saveSession: function () {
        return ready.then(function () {
          var r = Module.saveSession();
          if (typeof r === 'string') throw new Error(r);
          return r;
        });
      },
      loadSession: function (bytes) {
        return ready.then(function () {
          return typeof Blob !== 'undefined' && bytes instanceof Blob ? bytes.arrayBuffer() : bytes;
        }).then(function (b) {
          var u8 = b instanceof Uint8Array ? b : ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
            : b instanceof ArrayBuffer ? new Uint8Array(b) : null;
          if (!u8) throw new Error('loadSession(bytes): bytes must be a Uint8Array, an ArrayBuffer or a Blob.');
          return wait(Module.loadSession(u8)).then(function (r) { dataUrl = null; loadedFile = null; return r; });
        });
      },
      // exportReportHtml(options) resolves to the HTML report: one self-contained file (no external request) with
      // a map and cluster table per view and a section per cluster; options {title, note, imageWidth, imageHeight}.
      exportReportHtml: function (options) {
        return ready.then(function () {
          options = options || {};
          var o = {};
          if (options.title !== undefined) o.title = String(options.title);
          if (options.note !== undefined) o.note = String(options.note);
          if (options.imageWidth !== undefined) o.image_width = options.imageWidth;
          if (options.imageHeight !== undefined) o.image_height = options.imageHeight;
          var html = Module.reportHtml(JSON.stringify(o));
          if (html === '') throw new Error('Nothing to report yet: load data and let the first map finish.');
          if (html.indexOf('error: ') === 0) throw new Error(html.slice(7));
          return html;
        });
      },
      // exportPng({width, height}) resolves to a PNG (Uint8Array) of the map as on screen, with the breadcrumbs and
      // the legend (the page's app only).
      exportPng: function (options) {
        return ready.then(function () {
          options = options || {};
          if (!Module.mapPng) throw new Error('exportPng needs the app (the map is drawn by the page).');
          var r = Module.mapPng(options.width | 0, options.height | 0);
          if (typeof r === 'string') throw new Error(r);
          return r;
        });
      },
      // Shows a message in the app's error banner (the page uses it for links that cannot be opened).
      showError: function (message) {
        return ready.then(function () { Module.reportError(String(message)); });
      },
      openShareState: function (state) {
        return ready.then(function () {
          return wait(Module.openShareState(typeof state === 'string' ? state : JSON.stringify(state)));
        }).then(function (r) {
          // A state with another data setup first reads the data again, then recomputes its views.
          return waitIdle().then(function () { return r; });
        });
      },
      explainRow: function (row, top) {
        if (!Module) return null;
        return JSON.parse(Module.explainRow(row | 0, top === undefined ? 12 : top | 0));
      },
      // Drill-down. drill(cluster, recipe?) zooms into a cluster of the current view (re-embeds and re-clusters
      // its original rows; instant when visited before) and resolves like run() plus {node, label};
      // drillSelection(rowIndices, recipe?) does it for rows of the current view; up() / goTo(node) move to a
      // computed view and resolve to the breadcrumbs; hierarchy() is the node tree; buildHierarchy({depth,
      // minFraction}) recurses automatically below the current view.
      drill: function (cluster, recipe) {
        return ready.then(function () {
          if (typeof cluster !== 'number' || Math.floor(cluster) !== cluster) throw new Error('drill(cluster): cluster must be an integer');
          return wait(Module.drill(cluster, recipe === undefined ? '' : (typeof recipe === 'string' ? recipe : JSON.stringify(recipe))));
        });
      },
      drillSelection: function (rows, recipe) {
        return ready.then(function () {
          return wait(Module.drillSelection(JSON.stringify(Array.from(rows || [])),
            recipe === undefined ? '' : (typeof recipe === 'string' ? recipe : JSON.stringify(recipe))));
        });
      },
      up: function () {
        return ready.then(function () {
          if (!Module.goUp()) throw new Error('Already at the top (or a job is running).');
          return JSON.parse(Module.breadcrumbs());
        });
      },
      goTo: function (node) {
        return ready.then(function () {
          if (!Module.goTo(node)) throw new Error('No computed view ' + node + ' to go to (or a job is running).');
          return JSON.parse(Module.breadcrumbs());
        });
      },
      breadcrumbs: function () { return Module ? JSON.parse(Module.breadcrumbs()) : []; },
      hierarchy: function () { return Module ? JSON.parse(Module.hierarchy()) : null; },
      buildHierarchy: function (options) {
        return ready.then(function () {
          options = options || {};
          var o = {};
          if (options.depth !== undefined) o.depth = options.depth;
          if (options.minFraction !== undefined) o.min_fraction = options.minFraction;
          return wait(Module.buildHierarchy(JSON.stringify(o)));
        });
      },
      // HDBSCAN's condensed tree of the current result, cluster by cluster (null without one).
      condensedTree: function () {
        if (!Module) return null;
        var t = Module.condensedTree();
        return t ? JSON.parse(t) : null;
      },
      embedding: function () {
        if (!Module) return new Float32Array(0);
        return new Float32Array(Module.embeddingView());  // copy out of WASM memory
      },
      labels: function () {
        if (!Module) return new Int32Array(0);
        return new Int32Array(Module.labelsView());
      },
      state: function () {
        if (!Module) return { loading: true };
        return JSON.parse(Module.stateJson());
      },
    };
    api.ready = ready;
    return api;
  }

  if (typeof module !== 'undefined' && module.exports) module.exports = { makeApi: makeApi };
  else root.ReclusterApi = { makeApi: makeApi };
})(typeof self !== 'undefined' ? self : this);
