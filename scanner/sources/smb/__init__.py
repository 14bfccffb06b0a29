"""Windows shares and NAS boxes read over SMB 2/3 without a mount (smbprotocol's smbclient).

``location.py`` parses ``smb://[user@]server[:port]/share/dir``; ``credentials.py`` finds the
user and password (a 0600 credentials file or the environment); ``client.py`` is the one place
that talks to the server (per-process sessions, errors as one line); ``walk.py`` lists a share
into the files an audit reads.
"""

from scanner.sources.smb.location import SMB_SCHEME, SmbLocation, is_smb_url, parse_smb_url

__all__ = ["SMB_SCHEME", "SmbLocation", "is_smb_url", "parse_smb_url"]
