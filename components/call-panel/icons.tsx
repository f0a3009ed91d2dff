// Inline SVG icons for the call panel (24×24 strokes, currentColor); decorative, so hidden from AT.
import type { ReactNode } from "react";

function Icon({ children, className = "size-4" }: { children: ReactNode; className?: string }) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className={className}
    >
      {children}
    </svg>
  );
}

export const PhoneIcon = () => (
  <Icon>
    <path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z" />
  </Icon>
);

export const HangUpIcon = () => (
  <Icon>
    <path d="M3.7 14.5 2.3 13a1.5 1.5 0 0 1 .1-2.2C5 8.6 8.4 7.5 12 7.5s7 1.1 9.6 3.3a1.5 1.5 0 0 1 .1 2.2l-1.4 1.5a1.5 1.5 0 0 1-1.9.2l-2-1.3a1.5 1.5 0 0 1-.7-1.3v-1.6a12 12 0 0 0-7.4 0v1.6a1.5 1.5 0 0 1-.7 1.3l-2 1.3a1.5 1.5 0 0 1-1.9-.2z" />
  </Icon>
);

export const MicIcon = () => (
  <Icon>
    <rect x="9" y="2" width="6" height="12" rx="3" />
    <path d="M5 10a7 7 0 0 0 14 0M12 17v5M8 22h8" />
  </Icon>
);

export const MicOffIcon = () => (
  <Icon>
    <path d="M2 2l20 20M9 9v1a3 3 0 0 0 5.1 2.1M15 9.3V5a3 3 0 0 0-5.7-1.3" />
    <path d="M19 10a7 7 0 0 1-1.2 3.9M5 10a7 7 0 0 0 11.2 5.6M12 17v5M8 22h8" />
  </Icon>
);

export const PauseIcon = () => (
  <Icon>
    <rect x="6" y="4" width="4" height="16" rx="1" />
    <rect x="14" y="4" width="4" height="16" rx="1" />
  </Icon>
);

export const PlayIcon = () => (
  <Icon>
    <path d="M6 4l14 8-14 8z" />
  </Icon>
);

export const BellIcon = ({ off }: { off: boolean }) => (
  <Icon>
    <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.9 1.9 0 0 0 3.4 0" />
    {off && <path d="M2 2l20 20" />}
  </Icon>
);

export const CloseIcon = () => (
  <Icon className="size-3.5">
    <path d="M18 6 6 18M6 6l12 12" />
  </Icon>
);
