pub mod account;
pub mod login;
pub mod logout;
pub mod organisations;
