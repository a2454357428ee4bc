// A home-made consent banner, in French, with a bug: refusing sets a
// marketing cookie (late_tracker).
(function () {
  if (/(^|; )shop_consent=/.test(document.cookie)) return;
  var box = document.createElement('div');
  box.id = 'bandeau';
  box.setAttribute('role', 'dialog');
  box.innerHTML = '<p>Nous utilisons des cookies pour mesurer l\'audience.</p>' +
    '<button type="button" class="ok">Tout accepter</button> ' +
    '<button type="button" class="non">Tout refuser</button>';
  function choose(value) {
    document.cookie = 'shop_consent=' + value + '; max-age=15552000; path=/; samesite=lax';
    box.remove();
  }
  box.querySelector('.ok').addEventListener('click', function () {
    choose('all');
    var s = document.createElement('script');
    s.src = '/stats.js';
    document.head.appendChild(s);
  });
  box.querySelector('.non').addEventListener('click', function () {
    choose('none');
    document.cookie = 'late_tracker=1; max-age=2592000; path=/';
  });
  document.body.appendChild(box);
})();
