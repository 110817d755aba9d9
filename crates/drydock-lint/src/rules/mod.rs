//! Every rule, once, in code order. A rule is one file: its doc comment
//! (what it checks, why it matters with the seed / CIS / NIST reference, an
//! example, the fix), its [`crate::declare_rule!`] metadata, `check`, and
//! its fires / silent tests.

pub mod add_instead_of_copy;
pub mod add_remote_url;
pub mod apk_no_cache;
pub mod apt_key;
pub mod apt_no_install_recommends;
pub mod apt_not_apt_get;
pub mod build_in_final_stage;
pub mod cd_instead_of_workdir;
pub mod chmod_777;
pub mod constant_platform;
pub mod copy_all_unignored;
pub mod copy_from_unknown_stage;
pub mod duplicate_stage_name;
pub mod fips_configuration;
pub mod healthcheck_network_tool;
pub mod insecure_security;
pub mod lang_install_unpinned;
pub mod maintainer;
pub mod multiple_cmd;
pub mod no_healthcheck;
pub mod no_pipefail;
pub mod npm_install;
pub mod pip_no_cache_dir;
pub mod pip_unpinned;
pub mod pipe_to_shell;
pub mod pkg_cache_left;
pub mod pkg_missing_yes;
pub mod pkg_unpinned;
pub mod pkg_upgrade;
pub mod relative_workdir;
pub mod root_after_root_step;
pub mod root_user;
pub mod secret_file_copied;
pub mod secret_in_config;
/// RUN-script helpers shared by the package-manager and download rules
/// (DF004–DF018): one module instead of sixteen copies.
pub(crate) mod shared;
pub mod shell_form_cmd;
pub mod ssh_server;
pub mod sudo;
pub mod syntax;
pub mod unapproved_registry;
pub mod unpinned_base_image;
pub mod unverified_download;
pub mod update_alone;

#[cfg(test)]
pub(crate) mod testing;

use crate::{Context, RuleMeta};

/// A rule's check: reads the context, reports through it.
pub type Check = fn(&Context<'_>);

/// The registry: every rule, in code order.
pub static RULES: &[(&RuleMeta, Check)] = &[
    (&syntax::META, syntax::check),
    (&root_user::META, root_user::check),
    (&unpinned_base_image::META, unpinned_base_image::check),
    (&unapproved_registry::META, unapproved_registry::check),
    (&add_instead_of_copy::META, add_instead_of_copy::check),
    (&add_remote_url::META, add_remote_url::check),
    (&pipe_to_shell::META, pipe_to_shell::check),
    (&unverified_download::META, unverified_download::check),
    (&pkg_missing_yes::META, pkg_missing_yes::check),
    (&pkg_unpinned::META, pkg_unpinned::check),
    (&apt_no_install_recommends::META, apt_no_install_recommends::check),
    (&apk_no_cache::META, apk_no_cache::check),
    (&pkg_cache_left::META, pkg_cache_left::check),
    (&pkg_upgrade::META, pkg_upgrade::check),
    (&update_alone::META, update_alone::check),
    (&pip_no_cache_dir::META, pip_no_cache_dir::check),
    (&pip_unpinned::META, pip_unpinned::check),
    (&npm_install::META, npm_install::check),
    (&lang_install_unpinned::META, lang_install_unpinned::check),
    (&secret_in_config::META, secret_in_config::check),
    (&secret_file_copied::META, secret_file_copied::check),
    (&copy_all_unignored::META, copy_all_unignored::check),
    (&no_healthcheck::META, no_healthcheck::check),
    (&healthcheck_network_tool::META, healthcheck_network_tool::check),
    (&build_in_final_stage::META, build_in_final_stage::check),
    (&sudo::META, sudo::check),
    (&chmod_777::META, chmod_777::check),
    (&ssh_server::META, ssh_server::check),
    (&cd_instead_of_workdir::META, cd_instead_of_workdir::check),
    (&relative_workdir::META, relative_workdir::check),
    (&maintainer::META, maintainer::check),
    (&multiple_cmd::META, multiple_cmd::check),
    (&shell_form_cmd::META, shell_form_cmd::check),
    (&apt_key::META, apt_key::check),
    (&insecure_security::META, insecure_security::check),
    (&copy_from_unknown_stage::META, copy_from_unknown_stage::check),
    (&duplicate_stage_name::META, duplicate_stage_name::check),
    (&constant_platform::META, constant_platform::check),
    (&no_pipefail::META, no_pipefail::check),
    (&fips_configuration::META, fips_configuration::check),
    (&apt_not_apt_get::META, apt_not_apt_get::check),
    (&root_after_root_step::META, root_after_root_step::check),
];

/// hadolint codes and the drydock rules that cover them, so
/// `# hadolint ignore=DL3008` pragmas keep working.
pub static HADOLINT_CODES: &[(&str, &str)] = &[
    ("DL3000", "DF029"),
    ("DL3002", "DF001"),
    ("DL3003", "DF028"),
    ("DL3004", "DF025"),
    ("DL3005", "DF013"),
    ("DL3006", "DF002"),
    ("DL3007", "DF002"),
    ("DL3008", "DF009"),
    ("DL3009", "DF012"),
    ("DL3013", "DF016"),
    ("DL3014", "DF008"),
    ("DL3015", "DF010"),
    ("DL3016", "DF017"),
    ("DL3018", "DF009"),
    ("DL3019", "DF011"),
    ("DL3020", "DF004"),
    ("DL3022", "DF035"),
    ("DL3024", "DF036"),
    ("DL3025", "DF032"),
    ("DL3026", "DF003"),
    ("DL3027", "DF040"),
    ("DL3028", "DF018"),
    ("DL3029", "DF037"),
    ("DL3030", "DF008"),
    ("DL3032", "DF012"),
    ("DL3033", "DF009"),
    ("DL3034", "DF008"),
    ("DL3036", "DF012"),
    ("DL3037", "DF009"),
    ("DL3038", "DF008"),
    ("DL3040", "DF012"),
    ("DL3041", "DF009"),
    ("DL3042", "DF015"),
    ("DL3047", "DF007"),
    ("DL4000", "DF030"),
    ("DL4003", "DF031"),
    ("DL4004", "DF031"),
    ("DL4006", "DF038"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_documented() {
        let codes: Vec<&str> = RULES.iter().map(|(m, _)| m.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted, "rule codes must be unique and in order");
        for (m, _) in RULES {
            for heading in ["## What it checks", "## Why it matters", "## Example", "## Fix"] {
                assert!(m.doc.contains(heading), "{} doc lacks `{heading}`", m.code);
            }
        }
        for (_, df) in HADOLINT_CODES {
            assert!(codes.contains(df), "hadolint map names unknown rule {df}");
        }
    }
}
