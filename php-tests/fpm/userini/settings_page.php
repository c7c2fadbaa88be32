<?php
// fpm/003: the same page, in a directory whose .user.ini changes the settings.
require __DIR__ . '/../settings_page.php';
