// Inline SVG icons: emoji glyphs depend on fonts the user's system may not have.

const common = { width: 16, height: 16, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', 'stroke-width': 2, 'stroke-linecap': 'round', 'stroke-linejoin': 'round', 'aria-hidden': 'true' } as const;

export const PaperclipIcon = () => (
  <svg {...common} width={20} height={20}>
    <path d="M21 12.5l-8.5 8.5a6 6 0 01-8.5-8.5l9-9a4 4 0 015.7 5.7l-9 9a2 2 0 01-2.8-2.8l8.3-8.3" />
  </svg>
);

export const PinIcon = () => (
  <svg {...common} width={14} height={14}>
    <path d="M12 17v5M5 17h14l-2-4V5a2 2 0 00-2-2H9a2 2 0 00-2 2v8z" />
  </svg>
);

export const MutedIcon = () => (
  <svg {...common} width={14} height={14}>
    <path d="M13.7 21a2 2 0 01-3.4 0M18.6 13A17.9 17.9 0 0118 8M6.3 6.3A6 6 0 006 8c0 7-3 9-3 9h14M18 8a6 6 0 00-9.3-5M1 1l22 22" />
  </svg>
);

export const LockIcon = ({ size = 14 }: { size?: number }) => (
  <svg {...common} width={size} height={size}>
    <rect x="4" y="11" width="16" height="10" rx="2" />
    <path d="M8 11V7a4 4 0 018 0v4" />
  </svg>
);
