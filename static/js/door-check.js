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

  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var video = document.getElementById("door-camera");
  var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
    video.srcObject = stream;
    video.hidden = false;
    video.play();
    (function scan() {
      detector.detect(video).then(function (codes) {
        // The same badge held up for a while is checked once.
        if (codes.length && codes[0].rawValue !== last) {
          last = codes[0].rawValue;
          check(last);
        }
      }).catch(function () {}).then(function () { setTimeout(scan, 300); });
    })();
  }).catch(function () {});
})();
