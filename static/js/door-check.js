// The doors' page: sends a badge's code (typed, or read by the camera where the browser has
// BarcodeDetector) and shows the answer at once. Without a script the form posts as it is.
(function () {
  "use strict";
  var form = document.getElementById("door-form");
  var answer = document.getElementById("door-answer");
  var input = document.getElementById("code");
  if (!form || !window.fetch) return;
  var busy = false;
  var last = "";

  function show(body) {
    answer.textContent = "";
    answer.className = "door-answer door-answer--" + (body.answer || "error");
    var word = document.createElement("p");
    word.className = "govuk-heading-l door-word";
    word.textContent = body.word || body.error;
    answer.appendChild(word);
    if (body.photo) {
      var img = document.createElement("img");
      img.src = body.photo; img.width = 140; img.height = 180;
      img.alt = answer.getAttribute("data-photo-alt");
      answer.appendChild(img);
    }
    ["name", "delegation"].forEach(function (key) {
      if (!body[key]) return;
      var p = document.createElement("p");
      p.className = "govuk-body-l door-" + key;
      p.textContent = body[key];
      answer.appendChild(p);
    });
  }

  function check(code) {
    if (busy || !code) return;
    busy = true;
    var data = new FormData(form);
    data.set("code", code);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                          headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(show)
      .catch(function () { show({ error: "?" }); })
      .then(function () { busy = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    check(input.value.trim());
  });

  // The camera: the browser's BarcodeDetector where it has one, else jsQR (vendored from
  // npm, static/vendor/jsqr) reading frames drawn on a canvas.
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var native = "BarcodeDetector" in window;
  if (!native && typeof window.jsQR !== "function") return;
  var video = document.getElementById("door-camera");
  var canvas = document.createElement("canvas");
  var detector = native ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;

  function read() {
    if (native) {
      return detector.detect(video).then(function (codes) {
        return codes.length ? codes[0].rawValue : null;
      });
    }
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return Promise.resolve(null);
    canvas.width = w; canvas.height = h;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, w, h);
    var code = window.jsQR(context.getImageData(0, 0, w, h).data, w, h,
                           { inversionAttempts: "dontInvert" });
    return Promise.resolve(code ? code.data : null);
  }

  navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
    video.srcObject = stream;
    video.hidden = false;
    video.play();
    (function scan() {
      read().then(function (code) {
        // The same badge held up for a while is checked once.
        if (code && code !== last) {
          last = code;
          check(code);
        }
      }).catch(function () {}).then(function () { setTimeout(scan, 250); });
    })();
  }).catch(function () {});
})();
