pub(crate) mod accounts_web;
