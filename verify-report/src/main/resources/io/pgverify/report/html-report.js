// pgverify HTML report: the verdict filters. Without this script every row is shown, and print shows every row.
(function () {
  'use strict';
  var root = document.documentElement;
  var nav = document.getElementById('filters');
  if (!nav) {
    return;
  }
  var boxes = nav.querySelectorAll('input[data-outcome-filter]');

  function apply() {
    var hidden = [];
    for (var i = 0; i < boxes.length; i++) {
      var outcome = boxes[i].getAttribute('data-outcome-filter');
      root.classList.toggle('hide-' + outcome, !boxes[i].checked);
      if (!boxes[i].checked) {
        hidden.push(outcome);
      }
    }
    root.setAttribute('data-hidden-outcomes', hidden.join(' '));
  }

  nav.addEventListener('change', apply);
  nav.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('button[data-preset]') : null;
    if (!button) {
      return;
    }
    var problemsOnly = button.getAttribute('data-preset') === 'problems';
    for (var i = 0; i < boxes.length; i++) {
      var outcome = boxes[i].getAttribute('data-outcome-filter');
      boxes[i].checked = !problemsOnly || outcome === 'mismatch' || outcome === 'incomplete';
    }
    apply();
  });

  nav.hidden = false;
  apply();
  root.setAttribute('data-filters', 'ready');
}());
