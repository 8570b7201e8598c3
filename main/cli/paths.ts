/** The data-folder rule is shared with the desktop shell and the web host. */
export * from '../core/app/paths';
