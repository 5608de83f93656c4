// A preview of the centred 35 × 45 mm crop of the chosen photograph; its numbers fill the
// crop fields, which the server fits to the image whatever they say.
(function () {
  "use strict";
  var input = document.getElementById("photo");
  var box = document.getElementById("crop-preview");
  var canvas = document.getElementById("crop-canvas");
  if (!input || !canvas || !window.FileReader) return;
  var ratio = 35 / 45;
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) return;
    var image = new Image();
    image.onload = function () {
      var w = image.width, h = image.height, cw, left = 0, top = 0;
      if (w / h > ratio) { cw = Math.round(h * ratio); left = Math.floor((w - cw) / 2); }
      else { cw = w; top = Math.floor((h - Math.round(w / ratio)) / 2); }
      var ch = Math.round(cw / ratio);
      canvas.getContext("2d").drawImage(image, left, top, cw, ch, 0, 0, canvas.width, canvas.height);
      document.getElementById("crop_left").value = left;
      document.getElementById("crop_top").value = top;
      document.getElementById("crop_width").value = cw;
      box.hidden = false;
    };
    // A data: address, which the site's Content-Security-Policy allows for images.
    var reader = new FileReader();
    reader.onload = function () { image.src = reader.result; };
    reader.readAsDataURL(file);
  });
})();
