# Sourced by compare.sh, find.sh and iouring.sh: the nginx they measure, written to $1/nginx.conf. $2 workers,
# listening on 127.0.0.1:$3, no keep-alive (keepalive_timeout 0: nginx closes first), access log off, everything in $1.
nginx_conf() {
  cat > "$1/nginx.conf" <<CONF
worker_processes $2;
daemon off;
pid $1/nginx.pid;
error_log $1/error.log;
events { worker_connections 65536; }
http {
  access_log off;
  keepalive_timeout 0;
  client_body_temp_path $1; proxy_temp_path $1; fastcgi_temp_path $1; uwsgi_temp_path $1; scgi_temp_path $1;
  server { listen 127.0.0.1:$3 backlog=4096; location / { return 200 "ok\n"; } }
}
CONF
}

# Waits up to 5 s until something listens on 127.0.0.1:$1 (the nginx just started); returns 1 if nothing does.
nginx_wait() {
  for _ in $(seq 50); do ss -Hltn "( sport = :$1 )" | grep -q . && return 0; sleep 0.1; done
  return 1
}
